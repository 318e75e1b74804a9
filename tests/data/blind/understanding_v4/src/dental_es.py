ROWS = [
# book_appointment
("MAD", "book_appointment", "Hola, quería pedir cita para una limpieza el jueves por la tarde. Soy Lucía Ferrándiz", "service:cleaning | date:thu | name:Lucía Ferrándiz"),
("MX", "book_appointment", "buenas tardes, me gustaría agendar una revisión para mi hijo de 8 años, ¿tienen algo el lunes a las 5 de la tarde?", "service:checkup | datetime:mon@17:00"),
("BOG", "book_appointment", "q tal, necesito cita para un blanqueamiento, xfa. mi nombre es Camilo Restrepo", "service:whitening | name:Camilo Restrepo"),
("MAD2", "book_appointment", "Buenos días. Es mi primera visita, ¿podrían darme hora para el 29 por la mañana? Me llamo Inmaculada Sastre", "date:2026-12-29 | name:Inmaculada Sastre"),
("MAD", "book_appointment", "QUIERO PEDIR CITA PARA UN EMPASTE", "service:filling"),
("MX", "book_appointment", "Hola! Me dijeron en otra clínica que necesito una endodoncia pero ahí es carísimo. ¿Me pueden dar cita con ustedes mañana a las 10:30? Gracias, Verónica Ibarra", "service:root_canal | datetime:+1@10:30 | name:Verónica Ibarra"),
("BOG", "book_appointment", "Buenas, quiero empezar con ortodoncia, brackets o lo que me recomienden. ¿Tienen disponibilidad el miércoles? Mi cel es 310 555 0187", "service:orthodontics | date:wed | phone:+573105550187"),
("MAD", "book_appointment", "Necesito que me saquen una muela del juicio, no me duele, es solo que el dentista dijo que había que quitarla. ¿Hay hueco la semana que viene?", "service:extraction"),
("MAD2", "book_appointment", "hola! me gustaria cita para revision y limpieza, el 28 o el 30 me va bien. Pablo Urquiza", "service:checkup | service:cleaning | date:2026-12-28 | date:2026-12-30 | name:Pablo Urquiza"),
("MX", "book_appointment", "Disculpe, ¿podría agendarme una valoración para implantes? Estoy libre el martes a las 12:00. Atte. Rogelio Canseco", "service:implant | datetime:tue@12:00 | name:Rogelio Canseco"),
("BOG", "book_appointment", "hola soy Daniela, quiero sacar cita pa una revisión general, la última fue hace como dos años", "name:Daniela | service:checkup"),
("MAD", "book_appointment", "Mirad, llevo años sin ir al dentista porque me da pánico, pero ya toca. ¿Me podéis dar cita para una primera visita tranquila? Cualquier tarde menos viernes. Álvaro Quintana, alvaro.quintana@example.es", "name:Álvaro Quintana | email:alvaro.quintana@example.es"),
("MX", "book_appointment", "cita para limpieza el sabado 11 porfa", "service:cleaning | date:2026-07-11"),
("BOG", "book_appointment", "Buenas noches, ¿me pueden dar cita el 12 de enero a las 8 de la mañana? Es para blanqueamiento. Gracias, Mariana Zuluaga", "datetime:2027-01-12@08:00 | service:whitening | name:Mariana Zuluaga"),
# insurance
("MAD", "insurance", "¿Trabajáis con Adeslas?", "insurance:adeslas"),
("MAD2", "insurance", "Hola, tengo Sanitas, ¿me cubre la limpieza con vosotros?", "insurance:sanitas | service:cleaning"),
("MX", "insurance", "¿aceptan seguro de MetLife?", "insurance:metlife"),
("MAD", "insurance", "Buenos días, quería saber si tienen concierto con Asisa y si entraría la endodoncia", "insurance:asisa | service:root_canal"),
("BOG", "insurance", "q seguros aceptan?", ""),
("MAD2", "insurance", "tengo un seguro de mapfre por el trabajo, ¿vale con vosotros?", "insurance:mapfre"),
("MX", "insurance", "Buenas tardes, mi seguro dental es de Cigna por la empresa de mi esposo. ¿Lo aceptan? Soy Fernanda Solís", "insurance:cigna | name:Fernanda Solís"),
("MAD", "insurance", "¿Con DKV la ortodoncia me saldría cubierta o solo una parte?", "insurance:dkv | service:orthodontics"),
("BOG", "insurance", "Hola, ¿ustedes reciben póliza dental o solo particular?", ""),
# emergency
("MAD", "emergency", "Se me ha partido un diente comiendo y me duele muchísimo, ¿me podéis ver hoy?", "date:0"),
("MX", "emergency", "tengo la cara hinchadísima desde anoche y un dolor horrible en la muela, ayuda", "date:-1"),
("BOG", "emergency", "Me sacaron una muela esta mañana y no para de sangrar, ya cambié la gasa cuatro veces", "service:extraction | date:0"),
("MAD2", "emergency", "Llevo dos días con un dolor de muelas que no me deja dormir, los calmantes no hacen nada. ¿Hay algo para mañana a primera hora?", "date:+1"),
("MAD", "emergency", "mi hija se ha caído en el parque y se ha roto la paleta, está sangrando, ¿qué hacemos?", ""),
("MX", "emergency", "Buenas, el implante que me pusieron la semana pasada está muy inflamado, tengo fiebre y me duele un montón", "service:implant"),
# reschedule
("MAD", "reschedule", "Hola, tengo cita el viernes a las 12:00 y no puedo ir, ¿podría ser el lunes?", "datetime:fri@12:00 | date:mon"),
("MX", "reschedule", "¿Puedo cambiar mi cita de mañana para otro día? Soy Gabriela Ortuño", "date:+1 | name:Gabriela Ortuño"),
("BOG", "reschedule", "me toca limpieza el jueves pero mejor el viernes si se puede", "service:cleaning | date:thu | date:fri"),
("MAD2", "reschedule", "Buenos días, necesito cambiar mi cita del 23 porque me voy de viaje, ¿me la podéis pasar al 7 de enero?", "date:2026-12-23 | date:2027-01-07"),
("MAD", "reschedule", "kiero mover mi cita a otra hora, es q salgo tarde del curro", ""),
# cancel
("MX", "cancel", "Quiero cancelar mi cita del martes, gracias", "date:tue"),
("MAD2", "cancel", "Hola, soy Jorge Albarrán, anulad mi cita de revisión del lunes que viene por favor, ya os llamaré", "name:Jorge Albarrán | service:checkup | date:mon"),
("BOG", "cancel", "cancela la cita xfa", ""),
("MAD", "cancel", "Buenas, no voy a poder ir a la extracción de mañana, la anulo. Perdonad las molestias", "service:extraction | date:+1"),
# pricing
("MAD", "pricing", "¿Cuánto cuesta una limpieza?", "service:cleaning"),
("MX", "pricing", "q precio tiene el blanqueamiento??", "service:whitening"),
("BOG", "pricing", "Buenas, ¿cuánto vale un implante más o menos? ¿y se puede pagar a plazos?", "service:implant"),
("MAD2", "pricing", "¿La primera consulta se paga o es gratis?", ""),
("MAD", "pricing", "En otra clínica me piden 1.800 euros por la ortodoncia invisible, ¿vosotros cuánto cobráis?", "money:1800 | service:orthodontics"),
# question
("MAD", "question", "¿Tenéis parking o hay que aparcar en la calle?", ""),
("MX", "question", "¿Atienden niños pequeños? Mi hijo tiene 3 años", ""),
("BOG", "question", "se puede pagar con tarjeta o solo efectivo", ""),
("MAD2", "question", "Hola, ¿la clínica tiene ascensor? Mi padre va en silla de ruedas", ""),
("MX", "question", "¿Dónde están ubicados? No encuentro la dirección", ""),
("MAD", "question", "¿Algún dentista habla inglés? Es para una amiga que no habla español", ""),
# hours
("MAD", "hours", "¿A qué hora abrís?", ""),
("MAD2", "hours", "¿Abrís en Nochevieja?", "date:12-31"),
("BOG", "hours", "hola, cual es el horario de atencion", ""),
("MX", "hours", "¿Abren el sábado?", "date:sat"),
# greeting
("MAD", "greeting", "Hola buenas", ""),
("BOG", "greeting", "Buenas tardes, le escribe Esteban Ocampo", "name:Esteban Ocampo"),
("MX", "greeting", "holaaa 😊", ""),
# goodbye
("MAD2", "goodbye", "Nada más, gracias. Hasta luego", ""),
("MX", "goodbye", "bueno, chao", ""),
# thanks
("MAD", "thanks", "muchas gracias!!", ""),
("BOG", "thanks", "Mil gracias, muy amable", ""),
("MX", "thanks", "grax", ""),
# compliment
("MAD", "compliment", "La doctora Ruiz es un amor, ni me enteré del pinchazo. Sois los mejores", ""),
("BOG", "compliment", "Excelente atención, la clínica super limpia y todos muy amables 👏", ""),
# affirm
("MAD", "affirm", "sí", ""),
("MX", "affirm", "perfecto, así queda", ""),
("MAD2", "affirm", "Vale, me parece bien", ""),
# deny
("MAD", "deny", "no, gracias", ""),
("BOG", "deny", "mejor no", ""),
("MX", "deny", "nel, así déjalo", ""),
# human
("MAD", "human", "¿Puedo hablar con una persona?", ""),
("MX", "human", "no quiero hablar con un robot, pásame con la recepcionista", ""),
("BOG", "human", "necesito hablar con alguien de la clínica, un humano porfa", ""),
# complaint
("MAD", "complaint", "Me cobrasteis la revisión dos veces el mes pasado y todavía no me lo habéis devuelto.", "service:checkup"),
("MX", "complaint", "Ayer esperé una hora para que me atendieran y nadie me dio una explicación", "date:-1"),
("MAD2", "complaint", "La chica de recepción fue bastante borde con mi madre por teléfono. Un poco de educación, por favor. Nuria Cobos", "name:Nuria Cobos"),
# opt_out
("MAD", "opt_out", "No me mandéis más publicidad", ""),
("BOG", "opt_out", "BAJA", ""),
("MX", "opt_out", "ya no quiero recibir recordatorios por whatsapp, gracias", ""),
("MAD2", "opt_out", "Por favor, dejad de enviarme ofertas de blanqueamiento. Un saludo, Ramón Tejedor", "service:whitening | name:Ramón Tejedor"),
# what_do_you_know
("MAD", "what_do_you_know", "¿Qué datos míos tenéis guardados?", ""),
("BOG", "what_do_you_know", "Quisiera saber qué información personal tienen sobre mí. Atentamente, Luisa Fernanda Mejía", "name:Luisa Fernanda Mejía"),
# forget_me
("MAD", "forget_me", "Solicito la supresión de todos mis datos personales conforme al RGPD, ejerciendo mi derecho al olvido. Beatriz Calvo Lindo", "name:Beatriz Calvo Lindo"),
("MX", "forget_me", "borren todo lo que tengan de mí, ya no voy a ir con ustedes", ""),
# forget_fact
("MAD2", "forget_fact", "Borra mi email, por favor", ""),
("BOG", "forget_fact", "Olviden mi número de teléfono viejo, el 311 555 0142, ya no lo uso", "phone:+573115550142"),
# added: more name introductions
('MAD', 'book_appointment', 'Buenas, soy Itziar Goikoetxea y querría pedir cita para un implante, cuando tengáis hueco', 'name:Itziar Goikoetxea | service:implant'),
('MX', 'human', 'Habla Rosa María Cuevas, ¿me puede llamar alguien de recepción? No me entiendo con el chat', 'name:Rosa María Cuevas'),
('BOG', 'thanks', 'Gracias, muy amables. Att: Jhon Fredy Cardona', 'name:Jhon Fredy Cardona'),
('MAD2', 'cancel', 'Me llamo Agustín Pardo y tengo que anular la limpieza del miércoles, estaré de viaje', 'name:Agustín Pardo | service:cleaning | date:wed'),
# added: allergens and durations
('MAD', 'question', 'Soy alérgica a la penicilina, ¿lo tenéis en cuenta para la endodoncia?', 'allergen:penicillin | service:root_canal'),
('MAD2', 'book_appointment', 'Hace dos semanas que me molesta un poco una muela, nada grave. ¿Me dais cita para que la miren?', ''),
('BOG', 'question', '¿Los guantes que usan son de látex? Tengo alergia al látex', 'allergen:latex'),
]
