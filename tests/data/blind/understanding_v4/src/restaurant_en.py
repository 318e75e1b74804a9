ROWS = [
# reserve_table
("NY", "reserve_table", "table for 4 tomorrow at 7:30pm please, name is Hughes", "party_size:4 | datetime:+1@19:30 | name:Hughes"),
("LDN", "reserve_table", "Hi, could I book a table for two on Saturday evening? It's our anniversary. Thanks, Amelia Crawford", "party_size:2 | date:sat | name:Amelia Crawford"),
("LA", "reserve_table", "can we get a reservation for 6 people on friday at 8pm? one of us is vegan", "party_size:6 | datetime:fri@20:00 | dietary:vegan"),
("LDN2", "reserve_table", "Any chance of a table for 2 at 9:30 tonight?", "party_size:2 | datetime:0@21:30"),
("NY", "reserve_table", "RESERVATION FOR 10 ON DECEMBER 12 AT 7PM. OFFICE PARTY", "party_size:10 | datetime:2026-12-12@19:00"),
("LDN", "reserve_table", "We'd love to come for Christmas Eve dinner, me and my husband plus our three kids. Around 6pm? Name's Rebecca Thornton, 07700 900233", "datetime:12-24@18:00 | party_size:5 | name:Rebecca Thornton | phone:+447700900233"),
("LA", "reserve_table", "hey its Jake, can i grab a table for me and my girlfriend sunday brunch around 11am", "name:Jake | party_size:2 | datetime:sun@11:00"),
("NY", "reserve_table", "Hello! I'd like to reserve a table for 8 on Saturday the 28th at 6:30pm. One guest has a severe nut allergy. Best, Naomi Feldman", "party_size:8 | datetime:2026-11-28@18:30 | allergen:nuts | name:Naomi Feldman"),
("LDN2", "reserve_table", "book us in for 3 tomorrow lunchtime pls", "party_size:3 | date:+1"),
("LA", "reserve_table", "Ok so my parents are flying in from Ohio and it's my dad's 70th, and I've been telling them about your short ribs for months lol. Could we do a table for five on Thursday at 7pm? Under Patel. Thanks!!", "party_size:5 | datetime:thu@19:00 | name:Patel"),
("LDN", "reserve_table", "Table for one on Monday at 1pm please. I'm Henry Oduya", "party_size:1 | datetime:mon@13:00 | name:Henry Oduya"),
("NY", "reserve_table", "reserving for new year's eve, 4 ppl, 9pm, name Castellano, email tony.castellano@example.com", "datetime:12-31@21:00 | party_size:4 | name:Castellano | email:tony.castellano@example.com"),
("LDN2", "reserve_table", "Can I book for a party of 12 next Saturday? Birthday do. I'm Chloe Barker", "party_size:12 | date:sat | name:Chloe Barker"),
# menu
("NY", "menu", "do you have gluten free pasta?", "allergen:gluten"),
("LA", "menu", "whats on the menu tonight? any vegan options", "date:0 | dietary:vegan"),
("LDN", "menu", "Is the meat halal?", "dietary:halal"),
("LDN2", "menu", "Does the pesto have nuts in it? My son is allergic", "allergen:nuts"),
("NY", "menu", "Can you tell me which dishes have shellfish? I'm allergic", "allergen:shellfish"),
("LA", "menu", "do u guys do kosher meals", "dietary:kosher"),
("LDN", "menu", "What wines do you have by the glass?", ""),
("NY", "menu", "Is there anything lactose-free for dessert?", "allergen:lactose"),
("LDN2", "menu", "any veggie mains? my partner's vegetarian", "dietary:vegetarian"),
("LA", "menu", "Does the carbonara have egg in it? Asking for my daughter who can't have eggs", "allergen:eggs"),
# waitlist
("NY", "waitlist", "how long's the wait right now for 2?", "party_size:2"),
("LA", "waitlist", "Can you put me on the waitlist for tonight? Party of 4, name Martinez", "date:0 | party_size:4 | name:Martinez"),
("LDN2", "waitlist", "Is there a queue at the moment or can we just walk in?", ""),
("LDN", "waitlist", "fully booked saturday? could you add us to the waiting list in case something opens up, 3 people, Sophie Lang", "date:sat | party_size:3 | name:Sophie Lang"),
("NY", "waitlist", "waitlist pls, 5 of us, we're right outside", "party_size:5"),
("LA", "waitlist", "Hey, any wait for a table right now? Just me", "party_size:1"),
("LDN", "waitlist", "If anyone cancels on Friday night can you let us know? Put me on the list. Table for 2. Ruth Abernethy", "date:fri | party_size:2 | name:Ruth Abernethy"),
("LDN2", "waitlist", "how long is the wait tonight roughly? we're 6", "date:0 | party_size:6"),
# emergency
("NY", "emergency", "I ate at your place last night and I've been throwing up all night, my friend too. What was in the clams??", "date:-1"),
("LDN", "emergency", "My daughter's lips are swelling up after the dessert we just had, I TOLD the waiter she's allergic to nuts", "allergen:nuts"),
("LA", "emergency", "we had dinner there yesterday and now 3 of us have food poisoning, one is in the ER", "date:-1"),
("LDN2", "emergency", "i think there were prawns in the risotto, i'm allergic to shellfish and my throat feels tight, what was in it", "allergen:shellfish"),
("NY", "emergency", "Got hives all over after eating your 'dairy free' curry, I'm lactose intolerant and it clearly had cream. Need to know the ingredients right now for the doctor", "allergen:lactose"),
# reschedule
("NY", "reschedule", "Hi, we have a table for 4 on Friday at 8pm, can we move it to Saturday same time? Under Dawson", "party_size:4 | datetime:fri@20:00 | date:sat | name:Dawson"),
("LDN", "reschedule", "can i change my booking from 7pm to 8:30pm tonight?", "datetime:0@19:00 | datetime:0@20:30"),
("LA", "reschedule", "Need to push our reservation tomorrow back an hour if possible", "date:+1"),
("LDN2", "reschedule", "Could we do Sunday instead of tomorrow? Same number of people. Thanks, Nisha Kapoor", "date:sun | date:+1 | name:Nisha Kapoor"),
# cancel
("NY", "cancel", "Please cancel my reservation for tonight, sorry! Karen Wolfe", "date:0 | name:Karen Wolfe"),
("LDN", "cancel", "we can't make saturday anymore, please cancel", "date:sat"),
("LA", "cancel", "cancel the booking under Rodriguez pls", "name:Rodriguez"),
# pricing
("NY", "pricing", "How much is the tasting menu?", ""),
("LDN", "pricing", "Do you charge corkage if we bring our own wine?", ""),
("LA", "pricing", "is there a deposit for a group of 10?", "party_size:10"),
("LDN2", "pricing", "what's the price of the set lunch", ""),
("NY", "pricing", "Is it $85 per person for the Christmas Day menu or is that without drinks?", "money:85 | date:12-25"),
# question
("NY", "question", "Do you have high chairs?", ""),
("LA", "question", "is there outdoor seating? we have a dog", ""),
("LDN", "question", "Can we bring our own birthday cake?", ""),
("LDN2", "question", "Do you take card or is it cash only?", ""),
("NY", "question", "Do you do takeout or delivery?", ""),
("LA", "question", "is the restaurant wheelchair accessible", ""),
# hours
("NY", "hours", "what time does the kitchen close?", ""),
("LDN", "hours", "Are you open on Christmas Day?", "date:12-25"),
("LDN2", "hours", "open sunday?", "date:sun"),
# greeting
("NY", "greeting", "hey!", ""),
("LDN", "greeting", "Hi there, this is Georgina", "name:Georgina"),
# goodbye
("LA", "goodbye", "great, see ya", ""),
("LDN2", "goodbye", "That's all, cheers, bye", ""),
# thanks
("NY", "thanks", "thanks a lot", ""),
("LDN", "thanks", "Thank you!! 🙏", ""),
# compliment
("LA", "compliment", "Dinner last night was unreal. That tiramisu!!", "date:-1"),
("LDN2", "compliment", "Your staff were so lovely to my gran on her birthday, proper made her night", ""),
# affirm
("NY", "affirm", "yes please", ""),
("LDN", "affirm", "Perfect, that works", ""),
("LA", "affirm", "yup 8pm is good", "datetime:@20:00"),
# deny
("NY", "deny", "no thank you", ""),
("LDN2", "deny", "nah we're good", ""),
# human
("NY", "human", "can i speak to the manager please", ""),
("LDN", "human", "I'd like to talk to someone who works there, not an automated thing", ""),
("LA", "human", "HUMAN PLEASE", ""),
# complaint
("NY", "complaint", "my steak came out cold and we waited 45 minutes for it", ""),
("LDN", "complaint", "We were charged for a bottle of wine we never ordered on Saturday.", "date:-sat"),
("LA", "complaint", "the hostess was super rude to us when we asked for a different table. not cool. - Brianna Cole", "name:Brianna Cole"),
# opt_out
("NY", "opt_out", "stop texting me your specials", ""),
("LDN2", "opt_out", "please unsubscribe me from your emails", ""),
("LA", "opt_out", "i dont want these promos anymore", ""),
# what_do_you_know
("NY", "what_do_you_know", "what data do you have stored about me?", ""),
("LDN", "what_do_you_know", "Can you tell me what personal details you've kept from my bookings? Ta, Mark Ellison", "name:Mark Ellison"),
# forget_me
("LA", "forget_me", "delete all my info from your system please, all of it", ""),
("LDN2", "forget_me", "I'd like you to erase all the personal data you have on me under GDPR. Thank you, Alastair Reid", "name:Alastair Reid"),
# forget_fact
("NY", "forget_fact", "please remove my birthday from my profile", ""),
("LDN", "forget_fact", "Can you forget my phone number? You can still email me", ""),
# added: more name introductions
('LA', 'reserve_table', "Hey!! Bianca Moretti here, table for 7 on saturday at 6:30pm? it's a baby shower", 'name:Bianca Moretti | party_size:7 | datetime:sat@18:30'),
('NY', 'human', "It's Howard Stein, could I speak with whoever handles private events? A person, please", 'name:Howard Stein'),
('LDN2', 'thanks', 'Thanks very much — from Priti Desai', 'name:Priti Desai'),
('LDN', 'waitlist', 'My name is Edward Lyle, could you put me on the waiting list for Sunday lunch? Table for 4', 'name:Edward Lyle | date:sun | party_size:4'),
# added: allergens and durations
('LDN2', 'waitlist', "we'll be there in half an hour, can you stick us on the waitlist? 4 of us", 'party_size:4'),
]
