ROWS = [
# reserve_table
("MAD", "reserve_table", "Hola, quería reservar mesa para 4 el sábado a las 21:30. A nombre de Irene Galdós", "party_size:4 | datetime:sat@21:30 | name:Irene Galdós"),
("MX", "reserve_table", "buenas, una mesa para dos mañana a las 8 de la noche porfa", "party_size:2 | datetime:+1@20:00"),
("BOG", "reserve_table", "Quiero reservar para seis personas el viernes al almuerzo, somos de la oficina", "party_size:6 | date:fri"),
("MAD2", "reserve_table", "¿Tenéis mesa para Nochebuena? Seríamos mi marido, mis suegros y yo. Me llamo Rocío Llamas", "date:12-24 | party_size:4 | name:Rocío Llamas"),
("MAD", "reserve_table", "RESERVA PARA 8 EL VIERNES 17 A LAS 14:00", "party_size:8 | datetime:2026-04-17@14:00"),
("MX", "reserve_table", "Hola! soy Daniel, quiero apartar mesa pa 3 hoy a las 7 de la noche", "name:Daniel | party_size:3 | datetime:0@19:00"),
("BOG", "reserve_table", "Buenas noches, quisiera hacer una reservación para el 15 de enero, somos 10 personas, es un cumpleaños. Mi correo es valentina.rios@example.com. Gracias, Valentina Ríos", "date:2027-01-15 | party_size:10 | email:valentina.rios@example.com | name:Valentina Ríos"),
("MAD2", "reserve_table", "Mesa para dos en Nochevieja a las 22:00, si aún queda algo. Óscar Nieto", "party_size:2 | datetime:12-31@22:00 | name:Óscar Nieto"),
("MAD", "reserve_table", "Hola, buenas. Mira, te cuento: este finde es la comunión de mi sobrina y al final la comida la hacemos fuera porque en casa no cabemos. Seríamos doce, con tres niños. ¿Tendríais mesa el domingo a las 14:30? Uno de los niños no puede tomar gluten. Gracias, Montse Vidal", "party_size:12 | datetime:sun@14:30 | allergen:gluten | name:Montse Vidal"),
("MX", "reserve_table", "Reservación para 5 el sábado 4 a las 2 de la tarde, a nombre de Gutiérrez", "party_size:5 | datetime:2026-07-04@14:00 | name:Gutiérrez"),
("BOG", "reserve_table", "me reservan una mesa pa mi novia y yo el miércoles? a las 8 pm", "party_size:2 | datetime:wed@20:00"),
("MAD", "reserve_table", "Buenas, ¿tendríais mesa para uno para comer hoy? Soy Fermín Aranda", "party_size:1 | date:0 | name:Fermín Aranda"),
("MAD2", "reserve_table", "Queremos reservar para la comida del día de Reyes, somos 7. Nombre: Begoña Ursúa, tel 654 321 987", "date:01-06 | party_size:7 | name:Begoña Ursúa | phone:+34654321987"),
# menu
("MAD", "menu", "¿Tenéis opciones sin gluten?", "allergen:gluten"),
("MX", "menu", "¿qué platillos veganos tienen?", "dietary:vegan"),
("BOG", "menu", "la salsa de la pasta lleva frutos secos? mi hijo es alérgico", "allergen:nuts"),
("MAD2", "menu", "¿El menú del día 25 tiene algo sin marisco? Mi padre es alérgico", "date:2026-12-25 | allergen:shellfish"),
("MAD", "menu", "¿Qué vinos tenéis de la Ribera?", ""),
("MX", "menu", "¿La carne es halal?", "dietary:halal"),
("BOG", "menu", "tienen postres sin lactosa?", "allergen:lactose"),
("MAD", "menu", "¿Hay platos vegetarianos en el menú del día?", "dietary:vegetarian"),
("MX", "menu", "¿La mayonesa es casera? Es que no puedo comer huevo", "allergen:eggs"),
("MAD2", "menu", "Hola, ¿me pasáis la carta? Queremos ver qué hay antes de ir", ""),
# waitlist
("MAD", "waitlist", "¿Hay mucha espera ahora mismo para 2?", "party_size:2"),
("MX", "waitlist", "apúntame en la lista de espera, somos 4, a nombre de Leticia", "party_size:4 | name:Leticia"),
("BOG", "waitlist", "Cuánto hay que esperar ahorita para una mesa?", ""),
("MAD2", "waitlist", "Si os queda libre alguna mesa para el jueves por la noche, ponedme en la lista de espera. Seríamos 3. Álex Prats", "date:thu | party_size:3 | name:Álex Prats"),
("MAD", "waitlist", "estamos en la puerta, ¿cuánto tardáis en dar mesa? somos cinco", "party_size:5"),
("MX", "waitlist", "¿Me pueden poner en lista de espera para hoy en la noche? Mesa para 6", "date:0 | party_size:6"),
("BOG", "waitlist", "hay fila? o podemos llegar de una", ""),
("MAD", "waitlist", "¿Tenéis lista de espera para el sábado? Está todo completo en la web. Somos dos, Carla Soler", "date:sat | party_size:2 | name:Carla Soler"),
# emergency
("MAD", "emergency", "Cené ayer en vuestro restaurante y llevo toda la noche vomitando, mi mujer igual", "date:-1"),
("MX", "emergency", "a mi hijo se le está hinchando la cara después del postre, les dije que era alérgico a la nuez!!", "allergen:nuts"),
("BOG", "emergency", "Comimos ahí anoche y estamos cuatro con intoxicación, uno ya está en urgencias", "date:-1"),
("MAD2", "emergency", "Creo que el arroz llevaba gambas, soy alérgica al marisco y me cuesta respirar, ¿qué llevaba exactamente?", "allergen:shellfish"),
("MX", "emergency", "Me salió urticaria por todo el cuerpo después de comer su pan 'sin gluten', soy celíaca, necesito la lista de ingredientes ya para el doctor", "allergen:gluten"),
# reschedule
("MAD", "reschedule", "Tengo reserva para el viernes a las 21:00, ¿se puede cambiar al sábado a la misma hora?", "datetime:fri@21:00 | date:sat"),
("MX", "reschedule", "¿podemos mover la reservación de hoy a mañana? somos los mismos 4", "date:0 | date:+1 | party_size:4"),
("BOG", "reschedule", "hola, quiero cambiar la hora de mi reserva a un poco más tarde, está a nombre de Jiménez", "name:Jiménez"),
("MAD2", "reschedule", "Buenas, ¿podemos pasar la cena del 23 al 26? Somos los de la empresa. Gracias, Lorena Sáez", "date:2026-12-23 | date:2026-12-26 | name:Lorena Sáez"),
# cancel
("MAD", "cancel", "Anulad mi reserva de esta noche, por favor. Está a nombre de Patricia Ocaña", "date:0 | name:Patricia Ocaña"),
("MX", "cancel", "cancelen la mesa del sábado, ya no vamos", "date:sat"),
("BOG", "cancel", "Quiero cancelar la reserva, gracias", ""),
# pricing
("MAD", "pricing", "¿Cuánto cuesta el menú del día?", ""),
("MX", "pricing", "¿cobran descorche si llevamos nuestro vino?", ""),
("BOG", "pricing", "cuanto vale el menu de degustacion?", ""),
("MAD2", "pricing", "¿El menú de Nochevieja es de 90 euros por persona con bebida o sin bebida?", "date:12-31 | money:90"),
("MAD", "pricing", "Para un grupo de 15, ¿hay que dejar señal? ¿De cuánto?", "party_size:15"),
# question
("MAD", "question", "¿Tenéis terraza?", ""),
("MX", "question", "¿aceptan tarjeta o solo efectivo?", ""),
("BOG", "question", "hacen domicilios?", ""),
("MAD2", "question", "¿Se puede llevar perro?", ""),
("MAD", "question", "¿Dónde se puede aparcar cerca del restaurante?", ""),
("MX", "question", "¿Tienen sillas para bebé?", ""),
# hours
("MAD", "hours", "¿A qué hora cerráis la cocina?", ""),
("MAD2", "hours", "¿Abrís el día de Navidad?", "date:12-25"),
("BOG", "hours", "abren los lunes?", ""),
# greeting
("MAD", "greeting", "Hola!", ""),
("MX", "greeting", "Buen día, soy Guadalupe Treviño", "name:Guadalupe Treviño"),
# goodbye
("BOG", "goodbye", "bueno listo, chao", ""),
("MAD", "goodbye", "Eso era todo, gracias. Adiós", ""),
# thanks
("MAD2", "thanks", "gracias!!", ""),
("MX", "thanks", "Muchísimas gracias, muy amable 🙏", ""),
# compliment
("MAD", "compliment", "La cena de anoche estuvo espectacular, el cochinillo de diez", "date:-1"),
("BOG", "compliment", "Los meseros súper atentos y la comida deliciosa, los amamos ❤️", ""),
# affirm
("MAD", "affirm", "sí, perfecto", ""),
("MX", "affirm", "va, sale", ""),
("MAD2", "affirm", "Vale, a las 21:30 nos va bien", "datetime:@21:30"),
# deny
("BOG", "deny", "no, así está bien gracias", ""),
("MAD", "deny", "No, mejor otro día", ""),
# human
("MAD", "human", "¿Puedo hablar con el encargado?", ""),
("MX", "human", "quiero hablar con una persona, no con un bot", ""),
("BOG", "human", "me comunica con alguien del restaurante por favor", ""),
# complaint
("MAD", "complaint", "El sábado la paella llegó fría y tardaron casi una hora en servirla.", "date:-sat"),
("MX", "complaint", "Nos cobraron dos refrescos que nunca pedimos", ""),
("BOG", "complaint", "El mesero fue muy grosero con mi mamá cuando pidió cambiar el plato. Att. Santiago Ospina", "name:Santiago Ospina"),
# opt_out
("MAD", "opt_out", "No me mandéis más promociones", ""),
("MX", "opt_out", "BAJA DE LA LISTA", ""),
("MAD2", "opt_out", "Ya no quiero recibir vuestros mensajes con ofertas, gracias", ""),
# what_do_you_know
("MAD", "what_do_you_know", "¿Qué datos tenéis guardados de mí?", ""),
("BOG", "what_do_you_know", "Quiero saber qué información personal guardan de mis reservas. Gracias, Camila Arango", "name:Camila Arango"),
# forget_me
("MX", "forget_me", "Eliminen todos mis datos de su sistema, por favor", ""),
("MAD", "forget_me", "Ejerzo mi derecho al olvido: quiero que borréis toda la información que tengáis sobre mí. Teresa Maroto", "name:Teresa Maroto"),
# forget_fact
("MAD2", "forget_fact", "Borrad mi fecha de cumpleaños de la ficha, no quiero felicitaciones", ""),
("BOG", "forget_fact", "olviden mi número de celular por favor", ""),
# added: more name introductions
('MAD', 'reserve_table', 'Hola! Soy Nagore, ¿me guardáis mesa para 5 el jueves a las 21:00?', 'name:Nagore | party_size:5 | datetime:thu@21:00'),
('MX', 'human', 'Me llamo Rebeca Aguilar y necesito hablar con el gerente, una persona por favor', 'name:Rebeca Aguilar'),
('BOG', 'reserve_table', 'Buenas, a nombre de Wilson Castaño, mesa para 2 el sábado a las 7 de la noche', 'name:Wilson Castaño | party_size:2 | datetime:sat@19:00'),
('MAD2', 'waitlist', 'Hola, me llamo Nieves Carrasco. ¿Me apuntáis a la lista de espera para Nochevieja? Somos 6', 'name:Nieves Carrasco | date:12-31 | party_size:6'),
# added: allergens and durations
('MAD', 'waitlist', 'Llegamos en media hora, ¿nos apuntáis a la lista de espera? Somos 3', 'party_size:3'),
]
