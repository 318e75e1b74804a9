ROWS = [
# buy
("NY", "buy", "We're looking to buy a 3-bedroom house, budget around 650k", "bedrooms:3 | property_type:house | money:650000"),
("LDN", "buy", "Hi, I'm a first-time buyer hoping to purchase a one-bed flat. Mortgage agreed in principle up to £280,000. Lucy Hammond", "bedrooms:1 | property_type:apartment | money:280000 | name:Lucy Hammond"),
("LA", "buy", "i want to buy a condo near the beach", "property_type:apartment"),
("LDN2", "buy", "We'd like to buy a plot of land to build on, somewhere rural", "property_type:land"),
("NY", "buy", "Looking to purchase a small retail unit for my bakery, max $900k. My name is Farah Haddad", "property_type:commercial | money:900000 | name:Farah Haddad"),
("LA", "buy", "Hey, my husband and I finally sold our place in Fresno and we're ready to buy down here. Ideally a house with 4 bedrooms and a yard for the dogs, up to 1.2 million. Can you help? - Denise Carver", "property_type:house | bedrooms:4 | money:1200000 | name:Denise Carver"),
("LDN", "buy", "Interested in buying a studio as a buy-to-let investment", "property_type:studio"),
("NY", "buy", "I WANT TO BUY AN APARTMENT IN BROOKLYN", "property_type:apartment"),
("LDN2", "buy", "we're after a 2 bed house to buy, cash buyers, around 400k. theo.marsh@example.co.uk", "bedrooms:2 | property_type:house | money:400000 | email:theo.marsh@example.co.uk"),
("LA", "buy", "Hello, this is Gabriel Stone. I'm relocating for work and want to buy a townhouse, 3 beds, under $750,000", "name:Gabriel Stone | property_type:house | bedrooms:3 | money:750000"),
# rent
("NY", "rent", "I'm looking to rent a studio in Manhattan, budget $2,500 a month", "property_type:studio | money:2500"),
("LDN", "rent", "Hi, we need a 2-bed flat to rent from January, we have a small dog.", "bedrooms:2 | property_type:apartment"),
("LA", "rent", "looking 4 a room to rent near UCLA, student, max 1200", "property_type:room | money:1200"),
("LDN2", "rent", "Hello, I'd like to rent a house for my family, at least three bedrooms, near good schools. Regards, Adaeze Nwosu", "property_type:house | bedrooms:3 | name:Adaeze Nwosu"),
("NY", "rent", "need to lease a small office space for my accounting firm", "property_type:commercial"),
("LA", "rent", "Hi! My lease ends on October 31 and my landlord is selling, so I need to rent a new 1 bedroom apartment around Silver Lake. Under 2,800 a month ideally. Thanks, Jenna Ruiz", "date:2026-10-31 | bedrooms:1 | property_type:apartment | money:2800 | name:Jenna Ruiz"),
("LDN", "rent", "want to rent a flat, just me, nothing fancy", "property_type:apartment"),
("NY", "rent", "We're a couple relocating from Chicago looking to rent a 2br apartment starting December 1st", "bedrooms:2 | property_type:apartment | date:2026-12-01"),
("LDN2", "rent", "Looking to let a room in a house share, £750 pcm max. Cheers, Callum", "property_type:room | money:750 | name:Callum"),
# sell
("NY", "sell", "I want to sell my apartment, can someone come do a valuation?", "property_type:apartment"),
("LDN", "sell", "We're thinking of putting our 3-bed semi on the market early next year, what's the process?", "bedrooms:3 | property_type:house"),
("LA", "sell", "how much could i get for my house? want to list it", "property_type:house"),
("LDN2", "sell", "Hi, I'd like a valuation on my flat please. Martin Greaves, 07700 900584", "property_type:apartment | name:Martin Greaves | phone:+447700900584"),
("NY", "sell", "Looking to sell a commercial unit I own in Queens", "property_type:commercial"),
("LA", "sell", "My mother passed in the summer and we need to sell her house. None of us live in LA anymore so we'd need help with everything. Could someone call me? This is Rebecca Lindqvist, 310-555-0166", "property_type:house | name:Rebecca Lindqvist | phone:+13105550166"),
("LDN", "sell", "Can you value my 2 bed flat? Looking to sell by spring", "bedrooms:2 | property_type:apartment"),
("NY", "sell", "I'd like to list my land upstate with you", "property_type:land"),
("LDN2", "sell", "We want to sell. How do we get started with you?", ""),
# search_listings
("NY", "search_listings", "any 2-bed apartments under 700k in Astoria?", "bedrooms:2 | property_type:apartment | money:700000"),
("LDN", "search_listings", "What flats have you got to rent in Clapham for under £2,000 a month?", "property_type:apartment | money:2000"),
("LA", "search_listings", "do u have any houses with a pool for sale?", "property_type:house"),
("LDN2", "search_listings", "Are there any studios available right now?", "property_type:studio"),
("NY", "search_listings", "What commercial spaces do you have listed downtown?", "property_type:commercial"),
("LA", "search_listings", "Show me 3 bedroom houses under $850k please", "bedrooms:3 | property_type:house | money:850000"),
("LDN", "search_listings", "Got any rooms to let near the university?", "property_type:room"),
("NY", "search_listings", "what do you have in the 400-500k range, any type", "money:500000 | money:400000"),
("LDN2", "search_listings", "Anything with 4 bedrooms and a garden in Harrogate?", "bedrooms:4"),
# book_viewing
("NY", "book_viewing", "Can I see the 2-bed on Willow Street this Saturday at 11am?", "bedrooms:2 | datetime:sat@11:00"),
("LDN", "book_viewing", "Hi, I'd like to arrange a viewing of the cottage on Fernhill Lane. Any time Monday works. Regards, Douglas Farrow", "property_type:house | date:mon | name:Douglas Farrow"),
("LA", "book_viewing", "can i view the studio on 5th tomorrow afternoon?", "property_type:studio | date:+1"),
("LDN2", "book_viewing", "Could we come and have a look at the flat on Orchard Road on Tuesday at 6pm? Thanks, Mia Pearson", "property_type:apartment | datetime:tue@18:00 | name:Mia Pearson"),
("NY", "book_viewing", "I'd love to tour the listing at 82 Halsey Ave. I'm free the 23rd in the evening. Laura Benedetti", "date:2026-11-23 | name:Laura Benedetti"),
("LA", "book_viewing", "BOOK ME A VIEWING FOR THE HOUSE ON CEDAR DR", "property_type:house"),
("LDN", "book_viewing", "Is it possible to view the shop unit on the high street? 18th or 19th ideally", "property_type:commercial | date:2026-12-18 | date:2026-12-19"),
("NY", "book_viewing", "hi i saw the 1br on Grove st online, can i go see it friday at 12:30pm? my number is 917 555 0123", "bedrooms:1 | datetime:fri@12:30 | phone:+19175550123"),
("LDN2", "book_viewing", "We'd like to view the plot near Thirsk, is Sunday possible?", "property_type:land | date:sun"),
# emergency
("LDN", "emergency", "There's water pouring through the ceiling of the flat I rent through you, a pipe has burst upstairs", "property_type:apartment"),
("NY", "emergency", "Heating's been out since yesterday in the apartment we rent from you and it's freezing, I have a baby", "date:-1 | property_type:apartment"),
("LA", "emergency", "I'm locked out of my rental and the keys are inside with my dog, can someone come with the spare??", ""),
("LDN", "emergency", "I can smell gas in the kitchen of the house I'm renting through your agency, what do I do?", "property_type:house"),
("NY", "emergency", "the house we just bought through you has water gushing from under the sink, can't find the shutoff", "property_type:house"),
# reschedule
("NY", "reschedule", "I have a viewing tomorrow at 10am, could we make it Monday instead?", "datetime:+1@10:00 | date:mon"),
("LDN2", "reschedule", "can we move our valuation to next week? something's come up", ""),
("LA", "reschedule", "Hi, it's Omar Siddiqui, could I switch my Thursday viewing to Saturday?", "name:Omar Siddiqui | date:thu | date:sat"),
("LDN", "reschedule", "Is it possible to push the viewing on the 12th to the afternoon instead of the morning?", "date:2026-12-12"),
# cancel
("NY", "cancel", "Please cancel my viewing on Saturday, we found a place", "date:sat"),
("LDN", "cancel", "We need to cancel tomorrow's valuation, we've decided not to sell after all. Sorry, Helen Marsh", "date:+1 | name:Helen Marsh"),
("LA", "cancel", "cancel the showing pls", ""),
# pricing
("NY", "pricing", "What's your commission if I list with you?", ""),
("LDN", "pricing", "How much are your fees for tenants? Is there a holding deposit?", ""),
("LA", "pricing", "how much is the rent on the 2 bed on Maple Ave?", "bedrooms:2"),
("LDN2", "pricing", "Just curious, what do you charge sellers? I'm not selling yet, just comparing agents", ""),
("NY", "pricing", "Is the $3,200 for the studio on Pine including utilities?", "money:3200 | property_type:studio"),
# question
("NY", "question", "Do you also manage properties for landlords?", ""),
("LA", "question", "Are pets allowed in your rentals usually?", ""),
("LDN", "question", "Where is your office? Is there parking?", ""),
("LDN2", "question", "do you cover Leeds or just York?", ""),
("NY", "question", "Can you help with mortgages or do I need a separate broker?", ""),
# hours
("NY", "hours", "What time do you open on Saturdays?", ""),
("LDN", "hours", "are you open on christmas eve", "date:12-24"),
("LA", "hours", "office hours?", ""),
# greeting
("LDN", "greeting", "Hi!", ""),
("NY", "greeting", "Hello, my name is Trevor Blackwood", "name:Trevor Blackwood"),
# goodbye
("LA", "goodbye", "thats all for now, bye!", ""),
("LDN2", "goodbye", "Cheers, bye", ""),
# thanks
("NY", "thanks", "thank you!", ""),
("LDN", "thanks", "Thanks ever so much", ""),
# compliment
("LA", "compliment", "Shoutout to Melissa, she made buying our first home so easy. 10/10", ""),
("LDN2", "compliment", "Your team were fantastic from start to finish, honestly the best agents we've dealt with", ""),
# affirm
("NY", "affirm", "yes that's fine", ""),
("LDN", "affirm", "Yes please, go ahead", ""),
# deny
("LA", "deny", "no, not interested in that one", ""),
("LDN2", "deny", "No thanks, I'll pass", ""),
# human
("NY", "human", "I'd like to speak to an agent, a real one", ""),
("LDN", "human", "Can I talk to the branch manager please", ""),
("LA", "human", "stop with the bot, get me a person", ""),
# complaint
("NY", "complaint", "The agent didn't show up for my viewing yesterday and nobody called to say.", "date:-1"),
("LDN", "complaint", "My deposit was deducted for damage that was there before I moved in.", ""),
("LDN2", "complaint", "You listed my flat with the wrong number of bedrooms and the photos were awful. Ian Prescott", "property_type:apartment | name:Ian Prescott"),
# opt_out
("NY", "opt_out", "stop sending me new listings", ""),
("LDN", "opt_out", "Please remove me from your property alerts, I've bought already", ""),
("LA", "opt_out", "unsubscribe me", ""),
# what_do_you_know
("NY", "what_do_you_know", "What information do you have about me on file?", ""),
("LDN2", "what_do_you_know", "I'd like to know what personal data your agency holds on me. Kind regards, Fiona Leckie", "name:Fiona Leckie"),
# forget_me
("LA", "forget_me", "please delete all of my personal data, I'm no longer looking", ""),
("LDN", "forget_me", "Under my right to erasure I ask that you delete all data relating to me. Gordon Pryce", "name:Gordon Pryce"),
# forget_fact
("NY", "forget_fact", "please remove my work email from your system, use my personal one", ""),
("LDN2", "forget_fact", "Can you delete my old address from my profile?", ""),
# added: more name introductions
('NY', 'book_viewing', 'Hi, Simone Achebe here — can I view the studio on Bergen St on Saturday at 10am?', 'name:Simone Achebe | property_type:studio | datetime:sat@10:00'),
('LDN', 'human', "My name is Victor Haines, I'd like a call from an actual agent about my sale please", 'name:Victor Haines'),
('LA', 'rent', "yo it's Marcus, looking to rent a 2 bed house in Pasadena, budget 4k/month", 'name:Marcus | bedrooms:2 | property_type:house | money:4000'),
('LDN2', 'sell', "Good evening, I'm Penelope Hartwell. We'd like to put our house on the market, could someone come and value it?", 'name:Penelope Hartwell | property_type:house'),
]
