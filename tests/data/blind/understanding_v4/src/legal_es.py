ROWS = [
# consultation
("MAD", "consultation", "Buenos días, quisiera concertar una cita con un abogado laboralista para el jueves por la mañana. Soy Marta Echeverría", "practice_area:employment | date:thu | name:Marta Echeverría"),
("MX", "consultation", "Hola, quiero agendar una consulta por un tema de divorcio. ¿Tienen espacio el lunes a las 4 de la tarde?", "practice_area:family | datetime:mon@16:00"),
("BOG", "consultation", "necesito una cita con un abogado x lo de la herencia de mi papá, el viernes si se puede", "practice_area:inheritance | date:fri"),
("MAD2", "consultation", "¿Me podéis dar cita con alguien de extranjería? Es para renovar mi residencia. Me llamo Yusuf Benali, mi móvil es 612 34 56 78", "practice_area:immigration | name:Yusuf Benali | phone:+34612345678"),
("MAD", "consultation", "QUIERO UNA CITA CON UN ABOGADO PARA LO DEL ACCIDENTE DE COCHE", "practice_area:personal_injury"),
("MX", "consultation", "Buenas tardes. Mi socio y yo tenemos un conflicto por la empresa y queremos una asesoría con un abogado. ¿Podría ser el 9 de julio a las 11? Atte. Héctor Villaseñor", "practice_area:business | datetime:2026-07-09@11:00 | name:Héctor Villaseñor"),
("BOG", "consultation", "Hola, soy Paola Cárdenas, ¿me pueden programar una reunión con un abogado de familia? Es por la cuota alimentaria de mis hijos", "name:Paola Cárdenas | practice_area:family"),
("MAD2", "consultation", "Buenas, quiero pedir cita para que me asesoren sobre el contrato de alquiler, el casero quiere subirme un 30%. El 28 me vendría bien", "practice_area:housing | date:2026-12-28"),
("MAD", "consultation", "Hola! Me han despedido y quiero que un abogado revise la carta de despido. ¿Podemos quedar mañana a las 17:30? Carlos Benítez, carlos.benitez@example.es", "practice_area:employment | datetime:+1@17:30 | name:Carlos Benítez | email:carlos.benitez@example.es"),
("MX", "consultation", "a ver, les explico: mi mamá falleció hace tres meses, no dejó testamento y somos cinco hermanos y ya empezaron los pleitos. Quiero sentarme con un abogado a ver qué hacemos, ¿me dan cita para el martes?", "practice_area:inheritance | date:tue"),
("BOG", "consultation", "Buenas noches, kiero agendar asesoria penal para mi primo, la audiencia es en marzo. El miércoles a las 9 am le sirve?", "practice_area:criminal | datetime:wed@09:00"),
# legal_intake
("MAD", "legal_intake", "Me han despedido estando de baja médica, ¿eso es legal?", "practice_area:employment"),
("MX", "legal_intake", "mi ex no me deja ver a mis hijos aunque el juez ya dio un régimen de visitas, ¿ustedes llevan estos casos?", "practice_area:family"),
("BOG", "legal_intake", "Me atropelló una moto en un paso peatonal y me fracturé la pierna, el conductor no tenía seguro. ¿Tengo derecho a una indemnización?", "practice_area:personal_injury"),
("MAD2", "legal_intake", "El casero no me devuelve la fianza y ya han pasado cuatro meses desde que dejé el piso. ¿Podéis ayudarme?", "practice_area:housing"),
("MAD", "legal_intake", "Hola, me llamo Nadia Mansouri. Llevo dos años en España sin papeles y me han dicho que podría pedir el arraigo. ¿Me lo podéis tramitar?", "name:Nadia Mansouri | practice_area:immigration"),
("MX", "legal_intake", "un cliente de mi negocio me debe 200 mil pesos desde hace meses y no quiere pagar, ¿pueden llevar mi caso?", "money:200000 | practice_area:business"),
("BOG", "legal_intake", "Mi abuelo dejó una casa y mi tío la está vendiendo sin consultar a nadie de la familia, ¿qué podemos hacer?", "practice_area:inheritance"),
("MAD2", "legal_intake", "Me denunciaron por una pelea en un bar hace un mes y tengo juicio en febrero. ¿Lleváis temas penales?", "practice_area:criminal"),
("MAD", "legal_intake", "la empresa no me paga las horas extra desde hace un año y encima me han cambiado el turno sin avisar", "practice_area:employment"),
("MX", "legal_intake", "Buenas tardes, disculpe la molestia. Mi esposo y yo nos estamos separando y queremos hacerlo de común acuerdo, pero no sabemos cómo se reparte la casa. ¿Ustedes nos podrían ayudar con eso? Saludos, Ximena Arriaga", "practice_area:family | name:Ximena Arriaga"),
# case_status
("MAD", "case_status", "¿Cómo va lo mío? Es el expediente del despido", "practice_area:employment"),
("MX", "case_status", "Hola, soy Arturo Lozano, quería saber si ya hay novedades de mi trámite migratorio", "name:Arturo Lozano | practice_area:immigration"),
("BOG", "case_status", "q ha pasado con mi caso? nadie me dice nada desde el 15 de diciembre", "date:-12-15"),
("MAD2", "case_status", "¿Ha contestado ya la aseguradora a la reclamación por la caída?", "practice_area:personal_injury"),
("MAD", "case_status", "Buenos días, ¿en qué punto está la partición de la herencia de mi madre?", "practice_area:inheritance"),
("MX", "case_status", "¿ya salió la sentencia de mi divorcio?", "practice_area:family"),
("MX", "case_status", "Quisiera saber cómo va el proceso desde la audiencia del viernes pasado", "date:-fri"),
("MAD2", "case_status", "Hola, ¿se sabe ya la fecha del juicio por lo de mi piso? Gracias, Elena Montalbán", "practice_area:housing | name:Elena Montalbán"),
# emergency
("MAD", "emergency", "Han detenido a mi hijo y está en comisaría, necesitamos un abogado ya", "practice_area:criminal"),
("MX", "emergency", "Me quieren sacar de la casa mañana con la policía y no tengo a dónde ir, ayúdenme por favor", "date:+1 | practice_area:housing"),
("BOG", "emergency", "A mi esposo lo retuvo migración en el aeropuerto y lo quieren deportar, por favor llámenme al 320 555 0199", "practice_area:immigration | phone:+573205550199"),
("MAD2", "emergency", "Tengo que presentar el recurso antes del miércoles o pierdo el plazo. ¿Me podéis atender hoy?", "date:wed | date:0"),
("MAD", "emergency", "me ha llegado una notificación de desahucio para el jueves!! q hago", "practice_area:housing | date:thu"),
("MX", "emergency", "Mi hermano está detenido desde ayer en el ministerio público y no le dejan hacer llamadas", "practice_area:criminal | date:-1"),
# reschedule
("MAD", "reschedule", "Hola, tengo cita el miércoles a las 10 de la mañana con la abogada, ¿se puede pasar al viernes?", "datetime:wed@10:00 | date:fri"),
("BOG", "reschedule", "necesito cambiar la reunión de mañana, se me cruzó algo del trabajo. Juliana Posada", "date:+1 | name:Juliana Posada"),
("MAD", "reschedule", "¿puedo ir el lunes en vez del jueves?", "date:mon | date:thu"),
("MAD2", "reschedule", "¿Me podéis mover la consulta al 4 de enero? Es que estaré fuera", "date:2027-01-04"),
# cancel
("MAD", "cancel", "Cancelo la cita del lunes, ya hemos llegado a un acuerdo", "date:mon"),
("MX", "cancel", "Buenas, quiero cancelar mi asesoría de mañana, disculpen. Rodrigo Peña", "date:+1 | name:Rodrigo Peña"),
("BOG", "cancel", "cancelar cita", ""),
# pricing
("MAD", "pricing", "¿Cuánto cobráis por la primera consulta?", ""),
("MX", "pricing", "¿Qué costo tiene un divorcio voluntario con ustedes?", "practice_area:family"),
("BOG", "pricing", "cuanto cobran x un caso de accidente? es porcentaje o tarifa fija", "practice_area:personal_injury"),
("MAD2", "pricing", "Me han pedido 600 euros en otro despacho por la herencia, ¿vosotros qué honorarios tenéis?", "money:600 | practice_area:inheritance"),
("MAD", "pricing", "Hola, ¿la provisión de fondos de cuánto es?", ""),
# question
("MAD", "question", "¿Hacéis consultas por videollamada?", ""),
("MX", "question", "¿Dónde está su despacho? ¿Hay estacionamiento?", ""),
("BOG", "question", "ustedes trabajan también en Medellín o solo en Bogotá?", ""),
("MAD2", "question", "¿Tenéis abogados de oficio o solo particulares?", ""),
("MAD", "question", "¿Algún abogado habla árabe? Mi madre no habla bien español", ""),
# hours
("MAD", "hours", "¿Qué horario tenéis?", ""),
("MX", "hours", "¿atienden los sábados?", ""),
("MAD2", "hours", "¿El despacho abre en Nochebuena?", "date:12-24"),
# greeting
("MAD", "greeting", "Buenas tardes", ""),
("BOG", "greeting", "hola, con quién hablo? habla Sebastián Gaviria", "name:Sebastián Gaviria"),
# goodbye
("MX", "goodbye", "Eso es todo, gracias, hasta luego", ""),
("MAD", "goodbye", "venga, adiós", ""),
# thanks
("MAD2", "thanks", "Gracias por la info", ""),
("BOG", "thanks", "muchas gracias, muy amables", ""),
# compliment
("MAD", "compliment", "Quería deciros que la abogada Serrano lo hizo genial en el juicio, muy contentos con el despacho", ""),
("MX", "compliment", "excelente servicio, muy profesionales todos 👏👏", ""),
# affirm
("MAD", "affirm", "Sí, correcto", ""),
("BOG", "affirm", "dale, listo", ""),
("MAD2", "affirm", "vale, perfecto", ""),
# deny
("MX", "deny", "no, gracias, así está bien", ""),
("MAD", "deny", "No hace falta", ""),
# human
("MAD", "human", "quiero hablar con un abogado de verdad, no con una máquina", ""),
("BOG", "human", "¿Me puede llamar alguien del despacho? Prefiero hablar con una persona", ""),
("MX", "human", "pásame con un humano", ""),
# complaint
("MAD", "complaint", "Me habéis cobrado una minuta el doble de lo que me dijisteis al principio.", ""),
("MX", "complaint", "Nadie me avisó que se cambió la audiencia y fui al juzgado el lunes pasado para nada.", "date:-mon"),
("BOG", "complaint", "la secretaria me colgó el teléfono dos veces, muy mala atención. Andrés Ruiz", "name:Andrés Ruiz"),
# opt_out
("MAD", "opt_out", "No quiero recibir más mensajes vuestros", ""),
("MX", "opt_out", "dejen de mandarme su boletín por favor", ""),
("MAD2", "opt_out", "Dadme de baja de las comunicaciones, gracias", ""),
# what_do_you_know
("MAD", "what_do_you_know", "¿Qué datos personales tenéis de mí?", ""),
("BOG", "what_do_you_know", "Solicito conocer qué información mía reposa en sus bases de datos. Cordialmente, Diana Marcela Quintero", "name:Diana Marcela Quintero"),
# forget_me
("MAD2", "forget_me", "Ejerzo mi derecho de supresión: eliminen todos mis datos de sus archivos. Fdo. Ignacio Barral", "name:Ignacio Barral"),
("MX", "forget_me", "quiero que borren toda mi información, ya no voy a contratar nada", ""),
# forget_fact
("MAD", "forget_fact", "Por favor, eliminad mi dirección de casa de vuestra ficha", ""),
("BOG", "forget_fact", "borren mi correo viejo, diana.q@example.com, ya no lo reviso", "email:diana.q@example.com"),
# added: more name introductions
('MAD', 'consultation', 'Buenas tardes, mi nombre es Consuelo Ibáñez y necesito cita con un abogado de familia por la custodia de mis hijos', 'name:Consuelo Ibáñez | practice_area:family'),
('MX', 'human', 'soy Édgar Montes, quiero hablar directamente con mi abogado, no con la máquina', 'name:Édgar Montes'),
('BOG', 'legal_intake', 'Hola, me llamo Yesenia Patiño. Trabajé dos años en una empresa sin contrato y me echaron sin pagarme la liquidación. ¿Ustedes me pueden ayudar?', 'name:Yesenia Patiño | practice_area:employment'),
('MAD2', 'thanks', 'Gracias por todo. Un saludo, Fernando Lacalle', 'name:Fernando Lacalle'),
]
