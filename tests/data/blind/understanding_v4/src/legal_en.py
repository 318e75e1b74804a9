ROWS = [
# consultation
("NY", "consultation", "I'd like to schedule a consultation with one of your employment lawyers, ideally Monday afternoon. My name is Derek Ashworth", "practice_area:employment | date:mon | name:Derek Ashworth"),
("LDN", "consultation", "Hi, can I book a meeting with a solicitor about my divorce? I'm free on the 16th at 11am. Thanks, Joanna Pell", "practice_area:family | datetime:2026-12-16@11:00 | name:Joanna Pell"),
("LA", "consultation", "need to see an immigration attorney asap about my green card renewal, can u book me for thursday?", "practice_area:immigration | date:thu"),
("LDN2", "consultation", "Could I arrange a call with someone about my late father's will? Any time Tuesday. Regards, Imogen Strachan", "practice_area:inheritance | date:tue | name:Imogen Strachan"),
("NY", "consultation", "book me a consult pls. car accident, whiplash, other driver's insurance is giving me the runaround", "practice_area:personal_injury"),
("LA", "consultation", "Hello, this is Ramón Villanueva. I want to set up a meeting with a lawyer to go over a partnership dispute at my restaurant business. Oct 12 at 2pm works for me.", "name:Ramón Villanueva | practice_area:business | datetime:2026-10-12@14:00"),
("LDN", "consultation", "Can I come in to speak to someone about my landlord keeping my deposit? Ideally tomorrow morning. 07700 900318", "practice_area:housing | date:+1 | phone:+447700900318"),
("NY", "consultation", "I WANT TO BOOK A CONSULTATION ABOUT CUSTODY OF MY KIDS", "practice_area:family"),
("LDN2", "consultation", "Hiya, could I get an appointment with a lawyer next week about an unfair dismissal? I'm Kieran Boyle, kieran.boyle@example.co.uk", "practice_area:employment | name:Kieran Boyle | email:kieran.boyle@example.co.uk"),
("LA", "consultation", "So my sister and I have been fighting over mom's house since she passed in the spring, it's getting ugly and we've tried mediation, nothing. I think it's time. Can we book a meeting with one of your lawyers for Friday at 10am? — Theresa Nguyen", "practice_area:inheritance | datetime:fri@10:00 | name:Theresa Nguyen"),
("NY", "consultation", "Is there a slot with an attorney on December 1st? It's about a work visa for my wife", "date:2026-12-01 | practice_area:immigration"),
# legal_intake
("NY", "legal_intake", "I got fired two days after telling my manager I was pregnant. Is that legal?", "practice_area:employment"),
("LDN", "legal_intake", "My ex won't let me see the children even though we agreed on weekends. Do you handle this kind of thing?", "practice_area:family"),
("LA", "legal_intake", "slipped on a wet floor at a grocery store with no sign, broke my wrist. do i have a case", "practice_area:personal_injury"),
("LDN2", "legal_intake", "My landlord hasn't fixed the damp in my flat for eight months and my son has asthma. Can your firm help with something like this?", "practice_area:housing"),
("NY", "legal_intake", "Hi, my name is Soo-jin Park. My student visa status got messed up when my school closed and I'm not sure what my options are.", "name:Soo-jin Park | practice_area:immigration"),
("LA", "legal_intake", "a former business partner is using our company account to pay his personal stuff and refuses to show the books. would you take a case like that?", "practice_area:business"),
("LDN", "legal_intake", "My nan left everything to her neighbour in a will she signed weeks before she died and she had dementia. Is that something you'd look at?", "practice_area:inheritance"),
("NY", "legal_intake", "my son was charged with shoplifting last month, court date isnt until march. do u do criminal defense", "practice_area:criminal"),
("LDN2", "legal_intake", "My employer hasn't paid my wages for the last three months and now they won't answer my calls. What can I do?", "practice_area:employment"),
("LA", "legal_intake", "Hi there. Long story short, my employer keeps scheduling me off the clock and I think they owe me a lot of overtime. I've kept all my timesheets. Is this something you could take on? — Marisol Fuentes", "practice_area:employment | name:Marisol Fuentes"),
# case_status
("NY", "case_status", "Any updates on my case? Reference LX-2291", ""),
("LDN", "case_status", "Hello, I'm checking in on my divorce proceedings, has the other side responded yet? Thanks, Catriona Flynn", "practice_area:family | name:Catriona Flynn"),
("LA", "case_status", "whats the status of my visa application u guys filed", "practice_area:immigration"),
("LDN2", "case_status", "Did my solicitor hear back from the insurer about my injury claim?", "practice_area:personal_injury"),
("NY", "case_status", "It's Marcus Bell. Where are we with the probate for my dad's estate?", "name:Marcus Bell | practice_area:inheritance"),
("LA", "case_status", "hey just wondering if anything happened with my case since last tuesday's hearing", "date:-tue"),
("LDN", "case_status", "Has a date been set yet for my employment tribunal?", "practice_area:employment"),
("NY", "case_status", "Could someone update me on file 2026-0412? I haven't heard anything in a few weeks", ""),
# emergency
("NY", "emergency", "My brother was arrested an hour ago and they're not telling us anything, we need a lawyer NOW", "practice_area:criminal"),
("LDN", "emergency", "I've got a court hearing on Monday about my eviction and I have no representation. Please help", "date:mon | practice_area:housing"),
("LA", "emergency", "landlord changed the locks while i was at work, all my stuff is inside, he says I'm out tomorrow", "practice_area:housing | date:+1"),
("LDN2", "emergency", "My husband has been detained at the airport by immigration since this morning. What do we do?", "practice_area:immigration | date:0"),
("NY", "emergency", "I just got served, I have to file a response by Monday or I lose by default. Can anyone look at it today?", "date:mon | date:0"),
("LA", "emergency", "police just took my 17 year old from school, they won't let me see him. please call me 213-555-0148", "practice_area:criminal | phone:+12135550148"),
# reschedule
("NY", "reschedule", "Hi, I have a consultation Tuesday at 3pm, could we do Wednesday instead? Lena Fischer", "datetime:tue@15:00 | date:wed | name:Lena Fischer"),
("LDN", "reschedule", "can I move my meeting with Mr Harcourt to later in the week?", ""),
("LA", "reschedule", "Something came up at work, any chance to push tomorrow's call to Friday at the same time?", "date:+1 | date:fri"),
("LDN2", "reschedule", "could we switch my appointment from monday to the 2nd of October", "date:mon | date:2026-10-02"),
# cancel
("NY", "cancel", "Please cancel my consultation on the 24th, we settled it ourselves", "date:2026-11-24"),
("LDN", "cancel", "I won't need the appointment tomorrow after all, please cancel it. Many thanks, Philippa Grant", "date:+1 | name:Philippa Grant"),
("LA", "cancel", "cancel my appt", ""),
# pricing
("NY", "pricing", "How much do you charge for an initial consultation?", ""),
("LDN", "pricing", "What are your fees for an uncontested divorce, roughly?", "practice_area:family"),
("LA", "pricing", "do u work on contingency for injury cases or is it hourly? what's the rate", "practice_area:personal_injury"),
("LDN2", "pricing", "Is there a fixed fee for a will? I've been quoted £450 elsewhere", "practice_area:inheritance | money:450"),
("NY", "pricing", "what's the retainer for a DUI case", "practice_area:criminal"),
# question
("NY", "question", "Do you have anyone who speaks Mandarin?", ""),
("LA", "question", "Where's your office? Is there validated parking?", ""),
("LDN", "question", "Do you offer legal aid or is it private only?", ""),
("LDN2", "question", "can consultations be done over video? I live up in Inverness", ""),
("NY", "question", "Do you handle cases in New Jersey too or just New York?", ""),
# hours
("NY", "hours", "What are your office hours?", ""),
("LDN", "hours", "Will the office be open on New Year's Eve?", "date:12-31"),
("LA", "hours", "open on saturday?", "date:sat"),
# greeting
("LDN", "greeting", "Hello", ""),
("NY", "greeting", "Hi, Alisha Grant here", "name:Alisha Grant"),
# goodbye
("LA", "goodbye", "ok thats all, bye", ""),
("LDN2", "goodbye", "Right, I'll leave it there. Goodbye!", ""),
# thanks
("NY", "thanks", "Thank you, I appreciate it.", ""),
("LDN", "thanks", "ta very much", ""),
# compliment
("LA", "compliment", "Ms. Okoro was incredible in court, we couldn't have asked for better representation", ""),
("LDN2", "compliment", "Just wanted to say your team has been brilliant throughout, really professional", ""),
# affirm
("NY", "affirm", "Yes, that's correct", ""),
("LDN", "affirm", "sounds good 👍", ""),
("LA", "affirm", "sure, go ahead", ""),
# deny
("NY", "deny", "No, that's not necessary", ""),
("LDN2", "deny", "nope", ""),
# human
("NY", "human", "I need to speak to an actual lawyer, not a chatbot", ""),
("LDN", "human", "Please can someone from the office ring me back? I'd rather talk to a person", ""),
("LA", "human", "agent", ""),
# complaint
("NY", "complaint", "I was billed for three hours on a call that lasted 40 minutes.", ""),
("LDN", "complaint", "Nobody told me my hearing had moved and I turned up to an empty courtroom on Monday.", "date:-mon"),
("LA", "complaint", "your paralegal sent my personal documents to the wrong email address. that's really not ok. Jordan Whitfield", "name:Jordan Whitfield"),
# opt_out
("NY", "opt_out", "Please stop texting me", ""),
("LDN2", "opt_out", "Take me off your newsletter list, ta", ""),
("LA", "opt_out", "no more messages please, my case is closed", ""),
# what_do_you_know
("NY", "what_do_you_know", "What personal information does your firm have on file about me?", ""),
("LDN", "what_do_you_know", "I'd like a copy of all the data you hold on me (subject access request). Oliver Tennant", "name:Oliver Tennant"),
# forget_me
("LA", "forget_me", "I want all my personal data permanently deleted from your systems.", ""),
("LDN2", "forget_me", "Please erase every record you have of me, I never became a client. Regards, Siobhan Keane", "name:Siobhan Keane"),
# forget_fact
("NY", "forget_fact", "please delete my home address from your file", ""),
("LDN", "forget_fact", "Can you remove my mobile number, 07700 900752? Email only from now on", "phone:+447700900752"),
# added: more name introductions
('LDN', 'consultation', "Afternoon. Neville Okonjo speaking. I'd like a meeting with a solicitor regarding my tenancy, whenever suits next week", 'name:Neville Okonjo | practice_area:housing'),
('NY', 'human', 'this is Carmen Delgado, I need to speak with my attorney directly please, not the bot', 'name:Carmen Delgado'),
('LA', 'legal_intake', "Hi my name is Tyrell Jackson, I got rear-ended on the 405 last month and my back hasn't been right since. Can you guys handle this?", 'name:Tyrell Jackson | practice_area:personal_injury'),
('LDN2', 'thanks', 'Many thanks for all your help. Best, Harriet Vaughan', 'name:Harriet Vaughan'),
]
