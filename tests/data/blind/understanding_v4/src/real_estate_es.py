ROWS = [
# buy
("MAD", "buy", "Queremos comprar un piso de 3 habitaciones, presupuesto hasta 320.000 €", "property_type:apartment | bedrooms:3 | money:320000"),
("MX", "buy", "Hola, busco comprar una casa de 3 recámaras en Coyoacán, tengo crédito Infonavit aprobado por 2.5 millones", "property_type:house | bedrooms:3 | money:2500000"),
("BOG", "buy", "quiero comprar un apartamento pa invertir, soy Felipe Duque", "property_type:apartment | name:Felipe Duque"),
("MAD2", "buy", "Buenas, estamos interesados en comprar un terreno para construir, en la sierra a ser posible", "property_type:land"),
("MAD", "buy", "QUIERO COMPRAR UN ESTUDIO EN EL CENTRO", "property_type:studio"),
("MX", "buy", "Mire, le cuento: mi esposo y yo llevamos años rentando y por fin juntamos para el enganche. Queremos comprar un departamento de dos recámaras, algo tranquilo, de máximo 3 millones de pesos. ¿Nos ayudan? Saludos, Claudia Esparza", "property_type:apartment | bedrooms:2 | money:3000000 | name:Claudia Esparza"),
("BOG", "buy", "Buenas tardes, me interesa comprar un local comercial para mi negocio, presupuesto de 400 millones", "property_type:commercial | money:400000000"),
("MAD2", "buy", "Hola, soy Ainhoa Garmendia, queremos comprar un chalet con jardín, 4 dormitorios, hasta 1,2 millones", "name:Ainhoa Garmendia | property_type:house | bedrooms:4 | money:1200000"),
("MAD", "buy", "me gustaria comprar piso, 2 hab, x la zona de Chamberí, hasta 450k", "property_type:apartment | bedrooms:2 | money:450000"),
("MX", "buy", "quiero comprar casa", "property_type:house"),
# rent
("MAD", "rent", "Busco alquilar una habitación cerca de la universidad, máximo 450 euros", "property_type:room | money:450"),
("MX", "rent", "Hola, queremos rentar un departamento de 2 recámaras a partir del 1 de agosto, tenemos un gato", "property_type:apartment | bedrooms:2 | date:2026-08-01"),
("BOG", "rent", "necesito arrendar un apartaestudio x el centro, hasta 1.800.000 al mes", "property_type:studio | money:1800000"),
("MAD2", "rent", "Buenos días, me interesa alquilar una oficina pequeña para mi gestoría. Gracias, Ricardo Peral", "property_type:commercial | name:Ricardo Peral"),
("MAD", "rent", "quiero alquilar un piso, somos una pareja con un bebé, 3 habitaciones. Mi email es laura.mendez@example.es", "property_type:apartment | bedrooms:3 | email:laura.mendez@example.es"),
("MX", "rent", "Buenas tardes, me cambian de trabajo a Monterrey y necesito rentar una casa para mi familia, mínimo 3 recámaras. Atte. Armando Salinas", "property_type:house | bedrooms:3 | name:Armando Salinas"),
("BOG", "rent", "Hola! soy Natalia, busco arrendar una habitacion amoblada, estudiante", "name:Natalia | property_type:room"),
("MAD2", "rent", "Busco piso de alquiler a partir de enero, 1 dormitorio, hasta 900 al mes", "property_type:apartment | bedrooms:1 | money:900"),
("MAD", "rent", "Hola, quiero alquilar un estudio, solo para mí, con muebles si puede ser", "property_type:studio"),
# sell
("MAD", "sell", "Quiero vender mi piso, ¿podéis venir a tasarlo?", "property_type:apartment"),
("MX", "sell", "¿Cuánto me darían por mi casa? la quiero vender", "property_type:house"),
("BOG", "sell", "Buenas, quiero poner en venta mi apartamento de tres habitaciones en Chapinero. Mi celular es 315 555 0102. Gracias, Lina Barrera", "property_type:apartment | bedrooms:3 | phone:+573155550102 | name:Lina Barrera"),
("MAD2", "sell", "Hola, heredamos un solar de mis abuelos y lo queremos vender. ¿Cómo funciona?", "property_type:land"),
("MAD", "sell", "Me gustaría que me hicierais una valoración de mi casa, estamos pensando en venderla. Saludos, Javier Olmedo", "property_type:house | name:Javier Olmedo"),
("MX", "sell", "tengo un local en el centro y lo quiero vender, ¿ustedes lo pueden anunciar?", "property_type:commercial"),
("BOG", "sell", "Mi mamá se va a vivir con mi hermana a Cali y tenemos que vender su casa, ella ya no puede con las escaleras. ¿Ustedes se encargan de todo? Soy Catalina Henao", "property_type:house | name:Catalina Henao"),
("MAD2", "sell", "Queremos vender. ¿Qué pasos hay que seguir con vosotros?", ""),
("MAD", "sell", "kiero vender mi estudio, cuanto tardais en venderlo?", "property_type:studio"),
# search_listings
("MAD", "search_listings", "¿Tenéis pisos de 2 habitaciones por debajo de 250.000 en Getafe?", "property_type:apartment | bedrooms:2 | money:250000"),
("MX", "search_listings", "¿qué casas tienen en venta en Querétaro?", "property_type:house"),
("BOG", "search_listings", "hay apartamentos en arriendo por Usaquén de menos de 3 millones?", "property_type:apartment | money:3000000"),
("MAD2", "search_listings", "¿Qué estudios tenéis disponibles en el centro ahora mismo?", "property_type:studio"),
("MAD", "search_listings", "¿Hay algún local disponible para alquilar en Malasaña?", "property_type:commercial"),
("MX", "search_listings", "Enséñenme departamentos de 3 recámaras de menos de 4 millones por favor", "property_type:apartment | bedrooms:3 | money:4000000"),
("BOG", "search_listings", "tienen lotes en venta cerca de La Calera?", "property_type:land"),
("MAD2", "search_listings", "¿Qué tenéis entre 200.000 y 300.000 euros, lo que sea?", "money:200000 | money:300000"),
("MAD", "search_listings", "¿Tenéis algo con 4 dormitorios y terraza en Pozuelo?", "bedrooms:4"),
# book_viewing
("MAD", "book_viewing", "¿Podría ver el piso de la calle Almendro el jueves a las 18:00?", "property_type:apartment | datetime:thu@18:00"),
("MX", "book_viewing", "Hola, me gustaría visitar la casa de la colonia Del Valle el sábado en la mañana. Soy Marisela Treviño", "property_type:house | date:sat | name:Marisela Treviño"),
("BOG", "book_viewing", "quiero ir a ver el apto de 2 habitaciones que publicaron, mañana se puede?", "property_type:apartment | bedrooms:2 | date:+1"),
("MAD2", "book_viewing", "Buenos días, ¿se puede visitar el estudio de Lavapiés el 30 a las 12:00? Gracias, Héctor Lozano", "property_type:studio | datetime:2026-12-30@12:00 | name:Héctor Lozano"),
("MAD", "book_viewing", "QUIERO VER EL CHALET DE LAS ROZAS", "property_type:house"),
("MX", "book_viewing", "¿Me agendan una visita al local de Insurgentes el martes a las 5 de la tarde? Mi cel es 55 5123 4567", "property_type:commercial | datetime:tue@17:00 | phone:+525551234567"),
("BOG", "book_viewing", "Buenas, podemos ir a mirar el lote de Sopó el sábado?", "property_type:land | date:sat"),
("MAD", "book_viewing", "Hola, vi el anuncio del piso de 3 dormitorios en la calle Pez, ¿cuándo se puede ver? Yo podría el lunes por la tarde. Saludos, Nerea Otxoa", "property_type:apartment | bedrooms:3 | date:mon | name:Nerea Otxoa"),
("MAD2", "book_viewing", "¿Podemos visitar la habitación que anunciáis en Moncloa mañana?", "property_type:room | date:+1"),
# emergency
("MAD", "emergency", "Se ha reventado una tubería en el piso que os alquilo y está saliendo agua por todas partes", "property_type:apartment"),
("MAD2", "emergency", "Llevamos desde el sábado sin calefacción en el piso que alquilamos con vosotros y estamos a 5 grados, tengo dos niños pequeños", "date:-sat | property_type:apartment"),
("BOG", "emergency", "me quedé afuera del apartamento que les arriendo, las llaves están adentro y la estufa quedó prendida!!", "property_type:apartment"),
("MAD", "emergency", "Huele muchísimo a gas en la cocina de la casa que me alquilasteis, ¿qué hago?", "property_type:house"),
("MX", "emergency", "En la casa que nos vendieron se rompió el tubo del agua y se está inundando la planta baja, ayuda", "property_type:house"),
# reschedule
("MAD", "reschedule", "Tengo visita mañana a las 11:00, ¿la podemos pasar al viernes?", "datetime:+1@11:00 | date:fri"),
("MX", "reschedule", "¿Puedo cambiar la cita para ver la casa al lunes? Soy Octavio Rangel", "property_type:house | date:mon | name:Octavio Rangel"),
("BOG", "reschedule", "se puede correr la visita del jueves para la próxima semana?", "date:thu"),
("MAD2", "reschedule", "Hola, ¿la tasación del miércoles se podría hacer por la tarde en vez de por la mañana?", "date:wed"),
# cancel
("MAD", "cancel", "Cancelo la visita del sábado, ya hemos encontrado piso", "date:sat | property_type:apartment"),
("BOG", "cancel", "Quiero cancelar la cita de mañana para ver el apartamento. Gracias, Mauricio Gil", "date:+1 | property_type:apartment | name:Mauricio Gil"),
("MX", "cancel", "cancelen la visita xfa", ""),
# pricing
("MAD", "pricing", "¿Cuánto cobráis de comisión si os dejo mi piso para vender?", "property_type:apartment"),
("MX", "pricing", "¿Cuánto es el depósito para rentar con ustedes?", ""),
("BOG", "pricing", "cuanto es el arriendo del apto de la 85?", "property_type:apartment"),
("MAD2", "pricing", "Solo por curiosidad, ¿qué honorarios tenéis para el vendedor? No vendo todavía, estoy comparando agencias", ""),
("MAD", "pricing", "Los 1.100 euros del piso de Arganzuela, ¿incluyen comunidad?", "money:1100 | property_type:apartment"),
# question
("MAD", "question", "¿Gestionáis también alquileres para propietarios?", ""),
("MX", "question", "¿Ayudan con el trámite del crédito hipotecario?", ""),
("BOG", "question", "donde queda la oficina de ustedes?", ""),
("MAD2", "question", "¿Se admiten mascotas en los pisos que alquiláis?", ""),
("MAD", "question", "¿Trabajáis también en Alcalá o solo en Madrid capital?", ""),
# hours
("MAD", "hours", "¿Qué horario tiene la oficina?", ""),
("BOG", "hours", "abren el sábado?", "date:sat"),
("MAD2", "hours", "¿Abrís el día de Nochebuena por la mañana?", "date:12-24"),
# greeting
("MX", "greeting", "Buenas tardes 🙂", ""),
("MAD", "greeting", "Hola, soy Gonzalo Arrieta", "name:Gonzalo Arrieta"),
# goodbye
("BOG", "goodbye", "listo, gracias, chao", ""),
("MAD2", "goodbye", "Nada más. ¡Hasta otra!", ""),
# thanks
("MAD", "thanks", "Gracias 😊", ""),
("MX", "thanks", "mil gracias por todo", ""),
# compliment
("MAD", "compliment", "Quiero felicitar a Sergio, nos vendió el piso en dos semanas. ¡Un crack!", ""),
("BOG", "compliment", "Muy buena agencia, súper serios y atentos, se los recomiendo a todos", ""),
# affirm
("MAD2", "affirm", "Sí, vale", ""),
("MX", "affirm", "órale, sí", ""),
# deny
("MAD", "deny", "No, ese no me interesa", ""),
("BOG", "deny", "no gracias", ""),
# human
("MAD", "human", "Quiero hablar con un agente, una persona de verdad", ""),
("MX", "human", "¿me comunica con un asesor?", ""),
("MAD2", "human", "No quiero hablar con un bot. Que me llame alguien de la oficina", ""),
# complaint
("MAD", "complaint", "El agente no se presentó ayer a la visita y nadie nos avisó.", "date:-1"),
("BOG", "complaint", "Me descontaron del depósito unos daños que ya estaban cuando entré al apartamento.", "property_type:apartment"),
("MAD2", "complaint", "Publicasteis mi piso con las fotos de otro. Un desastre. Pilar Azcona", "property_type:apartment | name:Pilar Azcona"),
# opt_out
("MAD", "opt_out", "Dejad de mandarme pisos nuevos, ya he comprado", ""),
("MX", "opt_out", "ya no me manden alertas de propiedades por favor", ""),
("BOG", "opt_out", "no me escriban más", ""),
# what_do_you_know
("MAD", "what_do_you_know", "¿Qué datos personales tenéis de mí en la agencia?", ""),
("MX", "what_do_you_know", "Quisiera saber qué información mía tienen registrada. Gracias, Leonor Cázares", "name:Leonor Cázares"),
# forget_me
("MAD2", "forget_me", "Solicito que eliminéis todos mis datos personales de vuestros sistemas, en ejercicio del derecho de supresión. Fdo. Raquel Yagüe", "name:Raquel Yagüe"),
("BOG", "forget_me", "borren toda mi info, ya no estoy buscando nada", ""),
# forget_fact
("MAD", "forget_fact", "Borrad mi teléfono del trabajo, solo el personal", ""),
("MX", "forget_fact", "¿Pueden eliminar mi dirección anterior de mi registro?", ""),
# added: more name introductions
('MAD', 'book_viewing', 'Hola, soy Iratxe Larrañaga, ¿podría ver el piso de Ríos Rosas el viernes a las 19:00?', 'name:Iratxe Larrañaga | property_type:apartment | datetime:fri@19:00'),
('MX', 'human', 'Le escribe Rigoberto Llamas, quiero hablar con un asesor de carne y hueso', 'name:Rigoberto Llamas'),
('BOG', 'sell', 'Buenas tardes, mi nombre es Gloria Inés Vargas y quiero vender un lote que tengo en Girardot', 'name:Gloria Inés Vargas | property_type:land'),
('MAD2', 'rent', 'Buenas, me llamo Tomás Echevarría y busco alquilar un estudio en Lavapiés o Embajadores', 'name:Tomás Echevarría | property_type:studio'),
]
