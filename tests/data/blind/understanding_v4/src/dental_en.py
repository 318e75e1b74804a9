ROWS = [
# book_appointment
("NY", "book_appointment", "hey, can I get a cleaning booked for tuesday? this is Priya Raman", "service:cleaning | date:tue | name:Priya Raman"),
("LA", "book_appointment", "Hi! I'm new in town and need a first checkup. Any slot next week in the mornings? Thanks, Daniel Okafor", "service:checkup | name:Daniel Okafor"),
("LDN", "book_appointment", "Could I book my daughter in for a check-up on Monday at 4pm? She's 9. Mum is Harriet Bloomfield", "service:checkup | datetime:mon@16:00 | name:Harriet Bloomfield"),
("NY", "book_appointment", "need an appt for whitening, whenever u have something in the evenings", "service:whitening"),
("LDN2", "book_appointment", "I'd like to book a filling appointment, the dentist said last time I need one on the lower left. Tomorrow at 10am would be ideal. Tom Whitlock", "service:filling | datetime:+1@10:00 | name:Tom Whitlock"),
("LA", "book_appointment", "Do u have anything for a teeth cleaning on Oct 14? my email is Marco.DeLuca88@example.com", "service:cleaning | date:2026-10-14 | email:marco.deluca88@example.com"),
("NY", "book_appointment", "BOOK ME IN FOR A CHECKUP PLS", "service:checkup"),
("LDN", "book_appointment", "hiya, wanting to come in about getting braces for my son, can we do a first consultation? Sarah Kettering, 07700 900461", "service:orthodontics | name:Sarah Kettering | phone:+447700900461"),
("LA", "book_appointment", "I need a tooth pulled, it's been loose for ages and doesn't hurt at all, just want it gone. Can I come in Thursday?", "service:extraction | date:thu"),
("NY", "book_appointment", "Hello, I would like to make an appointment to discuss implants. I am available December 3rd in the afternoon. Regards, Walter Pemberton", "service:implant | date:2026-12-03 | name:Walter Pemberton"),
("LDN2", "book_appointment", "can i book in for a root canal? the dentist at my old practice said i need one but never did it. monday is best for me", "service:root_canal | date:mon"),
("NY", "book_appointment", "Hi I'm Grace. Wanted to set up a check up and a cleaning, same day if possible", "name:Grace | service:checkup | service:cleaning"),
("LA", "book_appointment", "first time patient here 😊 is there any opening this friday at 3:30pm? — Luis Abernathy", "datetime:fri@15:30 | name:Luis Abernathy"),
("LDN", "book_appointment", "Morning, I'd like to book an appointment for a scale and polish please, ideally the 22nd. Name's Fiona McAllister", "service:cleaning | date:2026-12-22 | name:Fiona McAllister"),
("NY", "book_appointment", "So I've been putting this off for like three years because I hate dentists honestly, but my partner finally convinced me. Could I get a first visit with someone gentle? Tuesday or Wednesday next week, I'm Kwame Mensah", "name:Kwame Mensah"),
# insurance
("NY", "insurance", "do you take Delta Dental?", "insurance:delta_dental"),
("LA", "insurance", "Is Aetna accepted at your office? I have the PPO plan", "insurance:aetna"),
("NY", "insurance", "my insurance is through Cigna, would a root canal be covered or at least partly?", "insurance:cigna | service:root_canal"),
("LDN", "insurance", "Hi, do you work with any insurers or is it all private? I've got dental cover through work.", ""),
("LA", "insurance", "hey does ur office accept metlife", "insurance:metlife"),
("NY", "insurance", "Guardian — are you in network or out of network?", "insurance:guardian"),
("LDN2", "insurance", "I'm with Sanitas through my Spanish employer, can I use it with you?", "insurance:sanitas"),
("NY", "insurance", "Does my plan cover whitening? It's Cigna", "service:whitening | insurance:cigna"),
("LA", "insurance", "what insurance do you guys take", ""),
("LDN", "insurance", "Would my DKV policy cover a check-up with you? Thanks, Anika Shah", "insurance:dkv | service:checkup | name:Anika Shah"),
# emergency
("NY", "emergency", "my front tooth just snapped in half eating a pretzel, can someone see me today??", "date:0"),
("LA", "emergency", "Woke up with my jaw swollen on the right side and the pain is unbearable, it throbbed all night. Please help", ""),
("LDN2", "emergency", "I had my wisdom tooth out yesterday and it's still bleeding a lot, it won't stop", "date:-1 | service:extraction"),
("LDN", "emergency", "severe toothache, can't sleep, painkillers aren't touching it. anything first thing tomorrow?", "date:+1"),
("NY", "emergency", "my kid fell off his bike and knocked a tooth clean out, what do we do, can u see him now", ""),
("LA", "emergency", "face is swelling up around the implant you put in last week and it hurts like hell", "service:implant"),
# reschedule
("NY", "reschedule", "Hi, I have a cleaning on Monday at 9am but something came up, can I come Wednesday instead? Olivia Brandt", "service:cleaning | datetime:mon@09:00 | date:wed | name:Olivia Brandt"),
("LDN2", "reschedule", "can i come saturday instead of tuesday?", "date:sat | date:tue"),
("LA", "reschedule", "Need to push my appointment back a week, sorry! Work trip", ""),
("LDN", "reschedule", "I'm booked in for the 15th but could we move it to the 17th, afternoon if poss?", "date:2026-12-15 | date:2026-12-17"),
("NY", "reschedule", "this is Ben Corrigan, any chance i can switch my filling appt to an earlier time the same day", "name:Ben Corrigan | service:filling"),
# cancel
("LA", "cancel", "Please cancel my appointment for tomorrow, I'm down with the flu", "date:+1"),
("LDN2", "cancel", "Hi it's Megan Doyle, I won't be able to make my check-up on Monday so please cancel it, I'll rebook another time", "name:Megan Doyle | service:checkup | date:mon"),
("NY", "cancel", "cancel pls", ""),
("LDN", "cancel", "I need to cancel my son's braces appointment on the 14th, we're moving away. Thank you, Claire Hutchins", "service:orthodontics | date:2026-12-14 | name:Claire Hutchins"),
# pricing
("NY", "pricing", "how much is a cleaning without insurance?", "service:cleaning"),
("LA", "pricing", "whats the price for teeth whitening", "service:whitening"),
("LDN", "pricing", "Roughly what would an implant set me back? Ballpark is fine", "service:implant"),
("LDN2", "pricing", "Is the first consultation free or is there a fee?", ""),
("NY", "pricing", "I was quoted $1,200 for a crown somewhere else, what do you charge for one?", "money:1200"),
# question
("NY", "question", "Is there parking near the clinic?", ""),
("LA", "question", "Do any of your dentists speak Vietnamese?", ""),
("LDN", "question", "is the surgery wheelchair accessible? my mum uses one", ""),
("LDN2", "question", "do you treat kids or only adults", ""),
("NY", "question", "Can I pay with Apple Pay or is it card only?", ""),
("LA", "question", "where are you guys located exactly", ""),
# hours
("LDN2", "hours", "are you open saturdays?", ""),
("NY", "hours", "What time do you close today?", "date:0"),
("LDN", "hours", "Are you open on Christmas Eve?", "date:12-24"),
("LA", "hours", "hrs?", ""),
# greeting
("NY", "greeting", "hi there", ""),
("LDN", "greeting", "Good morning! This is Eleanor Price", "name:Eleanor Price"),
("LA", "greeting", "hello 👋", ""),
# goodbye
("LDN2", "goodbye", "ok bye!", ""),
("NY", "goodbye", "That's everything, thanks, bye", ""),
# thanks
("LA", "thanks", "thank you so much!!", ""),
("LDN", "thanks", "cheers, that's really helpful", ""),
("NY", "thanks", "thx", ""),
# compliment
("LA", "compliment", "Dr. Lewis was amazing today, didn't feel a thing", "date:0"),
("LDN", "compliment", "Best dental experience I've ever had, your hygienist is so gentle and kind 🦷✨", ""),
# affirm
("NY", "affirm", "yes", ""),
("LDN2", "affirm", "yes 10am is fine", "datetime:@10:00"),
("LA", "affirm", "yep that works for me", ""),
# deny
("NY", "deny", "no thanks", ""),
("LDN", "deny", "nah I'm alright", ""),
("LA", "deny", "Not that one, no.", ""),
# human
("NY", "human", "can I talk to a real person please", ""),
("LDN", "human", "I don't want to chat with a bot, put me through to the receptionist", ""),
("LA", "human", "is there an actual human there", ""),
# complaint
("NY", "complaint", "I was charged twice for my cleaning last month and nobody has fixed it.", "service:cleaning"),
("LDN2", "complaint", "Waited 50 minutes past my appointment time yesterday and nobody told me why.", "date:-1"),
("LA", "complaint", "The receptionist was really rude to my mother on the phone. Not ok. - Hannah Liebowitz", "name:Hannah Liebowitz"),
# opt_out
("NY", "opt_out", "stop sending me reminders", ""),
("LDN", "opt_out", "please take me off your promo texts", ""),
("LA", "opt_out", "UNSUBSCRIBE", ""),
("LDN2", "opt_out", "I'd rather not get any more of these marketing messages, thanks. Gareth Owens", "name:Gareth Owens"),
# what_do_you_know
("NY", "what_do_you_know", "what info do you have on me?", ""),
("LDN", "what_do_you_know", "Can you tell me what personal data you keep about me? — Rachel Kim", "name:Rachel Kim"),
# forget_me
("LDN", "forget_me", "I am formally requesting erasure of all personal data you hold about me under Article 17 GDPR. Regards, Jonathan Hale", "name:Jonathan Hale"),
("LA", "forget_me", "Delete everything you have about me, I've switched dentists.", ""),
# forget_fact
("NY", "forget_fact", "please forget my phone number", ""),
("LDN2", "forget_fact", "remove my old email j.hale77@example.com from your records pls, I don't use it anymore", "email:j.hale77@example.com"),
# added: more name introductions
('LDN2', 'book_appointment', "My name's Oluwaseun Adeyemi and I'd like to register as a new patient and book a check-up please", 'name:Oluwaseun Adeyemi | service:checkup'),
('NY', 'human', "Hi, it's Dana Whitaker. Could a staff member call me back? I'd rather not do this by chat", 'name:Dana Whitaker'),
('LA', 'thanks', 'Thanks so much! - Kevin Tran', 'name:Kevin Tran'),
('LDN', 'reschedule', "Hello, Rosalind Firth here. I need to move my appointment from Friday to Monday, I'm away for work", 'name:Rosalind Firth | date:fri | date:mon'),
# added: allergens and durations
('NY', 'question', "I'm allergic to penicillin, is that a problem if I need the extraction?", 'allergen:penicillin | service:extraction'),
('LDN', 'question', 'Do your staff use latex-free gloves? I have a latex allergy', 'allergen:latex'),
]
