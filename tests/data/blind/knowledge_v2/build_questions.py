"""Writes questions.jsonl, questions_src.json and businesses.json from the lists below.
Each entry: (language, question, facts, absence_keywords). facts == [] -> unanswerable;
len(facts) == 2 -> two-part question (one fact per part)."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))

BUSINESSES = {
    "blind2-dental-en":      {"doc": "dental-en.md",        "template": "dental"},
    "blind2-legal-es":       {"doc": "legal-es.html",       "template": "legal"},
    "blind2-restaurant-es":  {"doc": "restaurant-es.md",    "template": "restaurant"},
    "blind2-realestate-en":  {"doc": "realestate-en.html",  "template": "real_estate"},
}

Q = {}

Q["blind2-dental-en"] = [
    ("es", "hola, cuanto cuesta la primera visita si soy paciente nuevo?", ["£65"], []),
    ("en", "r u open on sat mornings", ["second and last Saturday"], []),
    ("es", "cuanto cuesta la revision normal de cada 6 meses, ya soy paciente vuestro", ["£45"], []),
    ("en", "is the surgery shut between xmas and new year", ["25 December to 1 January"], []),
    ("es", "precio de una limpieza con la higienista, la corta", ["£58"], []),
    ("en", "do u still do the mercury type fillings", ["no longer"], []),
    ("es", "cuanto cuesta la revision de un niño de 8 años?", ["£25"], []),
    ("en", "roughly how long does the whiter colour stay after bleaching", ["one to three years"], []),
    ("es", "tengo un dolor de muelas horrible, cuanto cobrais por una cita urgente??", ["£85"], []),
    ("en", "is there anywhere to leave the car", ["free parking"], []),
    ("es", "precio de una endodoncia en una muela de atras", ["£540"], []),
    ("en", "can i pay off an implant bit by bit instead of all at once", ["0% finance over 12 months"], []),
    ("es", "cuanto vale un implante con la corona ya puesta", ["£2,450"], []),
    ("en", "what happens if i just dont show up to my appt, do u charge", ["£30"], []),
    ("es", "cuanto me cobrais por sacarme una muela del juicio", ["£240"], []),
    ("en", "that monthly subscription thing you have, how much a month", ["£17.50"], []),
    ("es", "kit de blanqueamiento para hacerlo en casa, precio?", ["£295"], []),
    ("en", "how much notice do i need to give to move my appointment without getting charged", ["48 hours"], []),
    ("es", "precio del blanqueamiento en la consulta en una sola sesion", ["£450"], []),
    ("en", "what ways can i pay, do u take phone payments", ["Apple Pay"], []),
    ("es", "a que hora cerrais los viernes", ["16:00"], []),
    ("en", "my mum uses a wheelchair, can she get in ok", ["step-free"], []),
    ("es", "abris el dia de nochebuena? hasta que hora", ["12:00"], []),
    ("en", "can i get treated on the national health at your place", ["fully private"], []),
    ("es", "salgo tarde de trabajar, hasta que hora como maximo atendeis por la tarde", ["20:00"], []),
    ("en", "what age should my baby first see a dentist", ["first tooth"], []),
    ("es", "hay que dejar dinero adelantado para un tratamiento largo?", ["£100"], []),
    ("en", "which buses go past the practice", ["12 and 31"], []),
    ("es", "cuanto cuesta una funda de porcelana y cuanto una ferula para la noche por apretar los dientes?", ["£680", "£220"], []),
    ("en", "how much is the sedation for scared patients and how far ahead do i have to book it?", ["£260", "two weeks"], []),
    ("en", "who's the braces specialist and which days is she in", ["Dr Helen Osei", "Tuesdays and Thursdays"], []),
    ("es", "telefono de urgencias fuera de horario? y cuanto cobrais de mas por eso", ["01632 960 499", "£150"], []),
    # unanswerable
    ("en", "how much do porcelain veneers cost with you", [], ["veneer"]),
    ("en", "price for a full set of false teeth?", [], ["denture", "false teeth"]),
    ("es", "cuanto cuestan los brackets metalicos de toda la vida", [], ["metal brace", "bracket", "fixed brace"]),
    ("es", "teneis gas de la risa para los nervios?", [], ["nitrous", "laughing gas"]),
    ("en", "do u do a discount for uni students", [], ["student"]),
    ("es", "haceis descuento a jubilados?", [], ["pensioner", "senior", "retired", "OAP"]),
    ("en", "do you do botox or lip filler", [], ["botox", "lip filler", "dermal"]),
    ("es", "cuanto cuesta un puente dental de 3 piezas", [], ["bridge"]),
]

Q["blind2-legal-es"] = [
    ("es", "cuanto me cobrais por la primera cita en la oficina", ["60 € + IVA"], []),
    ("en", "how much is an initial consultation over video call?", ["50 €"], []),
    ("es", "tuve un accidente con el coche, la primera consulta se paga?", ["Gratuita"], []),
    ("en", "i got fired, what % do u take if we win", ["15 %"], []),
    ("es", "cuanto dura la primera consulta mas o menos", ["45 minutos"], []),
    ("en", "could u look over my lease before i sign it? price?", ["90 €"], []),
    ("es", "precio divorcio de comun acuerdo sin niños", ["desde 750 €"], []),
    ("en", "whats your cut on a car crash compensation claim", ["12 %"], []),
    ("es", "y si tenemos hijos, cuanto sale el divorcio amistoso", ["desde 950 €"], []),
    ("en", "what VAT rate gets added on top of your fees", ["21 %"], []),
    ("es", "cuanto es lo de la declaracion de herederos", ["450 €"], []),
    ("en", "what time do you close on fridays", ["14:00"], []),
    ("es", "se puede pagar a plazos los honorarios?", ["hasta 6 meses sin intereses"], []),
    ("en", "what are your hours in july? heard you change them", ["15:00"], []),
    ("es", "aceptais bizum o solo tarjeta", ["Bizum"], []),
    ("en", "closest tram stop to your office?", ["César Augusto"], []),
    ("es", "con cuantas horas tengo que avisar si no puedo ir", ["24 horas"], []),
    ("en", "who do i speak to at the front desk to book", ["Lucía Ferrer"], []),
    ("es", "teneis sitio para aparcar en el despacho?", ["Plaza de San Felipe"], []),
    ("en", "how much is a follow up meeting after the first one", ["40 €"], []),
    ("es", "abris en agosto? necesito ir en vacaciones", ["1 al 15 de agosto"], []),
    ("en", "price to handle a whole inheritance start to finish", ["1.400 €"], []),
    ("es", "cuanto plazo tengo para reclamar un despido", ["20 días hábiles"], []),
    ("en", "whats the whatsapp number", ["655 30 81 92"], []),
    ("es", "cuanto tarda un divorcio amistoso aprox", ["dos y cuatro meses"], []),
    ("en", "are you open on christmas eve, until what time", ["13:00"], []),
    ("es", "llevais temas penales? me han pillado con alcohol conduciendo", ["seguridad vial"], []),
    ("en", "which lawyer does employment / unfair dismissal stuff", ["Javier Solís"], []),
    ("es", "si os contrato me descontais lo de la consulta? hasta cuando tengo", ["descuenta", "30 días"], []),
    ("en", "how much for a divorce when my ex won't agree, and how much do i pay upfront?", ["2.200 €", "40 %"], []),
    ("es", "que papeles llevo a la cita y se pueden mandar antes, con cuanto tiempo?", ["DNI o NIE", "48 horas"], []),
    ("en", "phone number for appointments and whats the street address", ["976 41 27 65", "Calle Coso 88"], []),
    # unanswerable
    ("en", "how much do you charge to do the legal side of buying a flat", [], ["compraventa", "hipoteca", "inmobiliari"]),
    ("en", "if my case ends up in court in madrid do u charge for travel on top", [], ["desplazamiento", "dietas", "viaje", "Madrid"]),
    ("es", "cuanto cobrais por un concurso de acreedores o ley de segunda oportunidad", [], ["segunda oportunidad", "concurso", "deudas"]),
    ("es", "cuanto cuesta recurrir una multa de trafico", [], ["multa", "sanción"]),
    ("en", "how much do you charge to write up my will?", [], ["redacción de testamento", "otorgar testamento", "testamento abierto", "testamento: "]),
    ("es", "llevais reclamaciones de clausulas suelo contra el banco?", [], ["cláusula", "banco", "hipoteca"]),
    ("en", "fee for drawing up a prenup before the wedding?", [], ["capitulaciones", "prenupcial", "boda"]),
    ("es", "cuanto cobrais por reclamar una negligencia medica", [], ["negligencia", "médic", "sanitari"]),
]

Q["blind2-restaurant-es"] = [
    ("en", "how much is the set lunch on weekdays", ["14,50 €"], []),
    ("es", "cuanto cuesta la botella de vino de la casa", ["16,00 €"], []),
    ("en", "what time do you close saturday night", ["00:30"], []),
    ("es", "cuando cerrais por vacaciones", ["segunda quincena de enero"], []),
    ("en", "price of the grilled bluefin tuna?", ["22,00 €"], []),
    ("es", "en nochebuena se puede ir a cenar?", ["mediodía"], []),
    ("en", "how much are the shrimp fritters", ["9,50 €"], []),
    ("es", "en carnavales abris el lunes? a que horas", ["13:00 a 01:00"], []),
    ("en", "black rice with squid ink, how much per head", ["16,00 €"], []),
    ("es", "se puede ir con el perro?", ["en la terraza"], []),
    ("en", "how much for a small draught beer", ["2,20 €"], []),
    ("es", "teneis trona para el bebe", ["tres tronas"], []),
    ("en", "do you take amex", ["American Express"], []),
    ("es", "soy celiaca, el salmorejo me lo podeis poner sin gluten?", ["sin picatostes"], []),
    ("en", "which bus stop is closest", ["San Juan de Dios"], []),
    ("es", "soy vegetariano, que platos puedo pedir?", ["hummus"], []),
    ("en", "where can i park the car nearby", ["Santa Bárbara"], []),
    ("en", "what time does the live music start on thursdays", ["22:00"], []),
    ("es", "se puede reservar mesa fuera en la terraza", ["orden de llegada"], []),
    ("en", "do you charge for the takeaway box", ["0,50 €"], []),
    ("es", "somos 6, podemos pagar cada uno por separado", ["4 pagos"], []),
    ("en", "group of 15 people, roughly how much per person for a group menu", ["32 €"], []),
    ("es", "haceis comida para llevar? con cuanto tiempo hay que llamar", ["30 minutos"], []),
    ("en", "whats the number to book a table", ["956 22 48 31"], []),
    ("es", "si llevamos tarta de cumple nos cobrais algo", ["sin coste"], []),
    ("en", "what time do you start serving lunch", ["13:00"], []),
    ("es", "cuanto cuesta el cazon en adobo", ["12,50 €"], []),
    ("es", "el helado de turron lleva frutos secos? soy alergico", ["frutos secos"], []),
    ("en", "how much is the beef sirloin and what about the cheesecake", ["21,00 €", "6,00 €"], []),
    ("es", "cuanto es la señal para un grupo de 10 y cuanto tiempo me guardais la mesa si llego tarde", ["10 € por persona", "15 minutos"], []),
    ("en", "who are the chefs and what's the street address?", ["Rocío Márquez", "Calle Botica 17"], []),
    ("es", "que dia hay flamenco y hay que pagar entrada?", ["jueves", "No se cobra entrada"], []),
    # unanswerable
    ("en", "whats the corkage fee if we bring our own wine", [], ["descorche", "propio vino", "traer vino"]),
    ("en", "do you deliver through uber eats or glovo", [], ["domicilio", "glovo", "uber", "reparto"]),
    ("en", "are you open on new years day for lunch", [], ["1 de enero", "año nuevo"]),
    ("en", "do you have a private room for a work dinner", [], ["reservado", "salón privado", "sala privada"]),
    ("es", "cuanto cuesta la paella de marisco", [], ["paella"]),
    ("es", "abris el dia de reyes", [], ["reyes", "6 de enero"]),
    ("es", "teneis menu degustacion y cuanto cuesta", [], ["degustación"]),
    ("es", "haceis descuento a estudiantes?", [], ["estudiante", "descuento"]),
]

Q["blind2-realestate-en"] = [
    ("en", "what's your commission if I sell only through you", ["1.2% + VAT"], []),
    ("es", "cuanto cuesta el certificado energetico", ["£85"], []),
    ("en", "whats the least you'd charge to sell my house", ["£1,950 + VAT"], []),
    ("es", "fotos con dron, precio?", ["£150"], []),
    ("en", "how much do u take if i also list with other agents", ["1.8% + VAT"], []),
    ("es", "soy propietario, cuanto cobrais solo por encontrarme inquilino", ["6%"], []),
    ("en", "do you charge to come round and say what my flat is worth", ["free"], []),
    ("es", "y si solo quiero que cobreis el alquiler cada mes?", ["9%"], []),
    ("en", "how long am i locked into the exclusive contract", ["12 weeks"], []),
    ("es", "precio del inventario y entrada del inquilino", ["£120"], []),
    ("en", "landlord here, fee for you to manage everything", ["12% + VAT"], []),
    ("es", "cuanto cuesta que me gestioneis el certificado del gas", ["£70"], []),
    ("en", "tenant - how much to secure a place i like", ["one week's rent"], []),
    ("es", "cuanto es el alquiler del piso de 1 dormitorio en Kestrel Close", ["£795"], []),
    ("en", "how many weeks rent is the damage deposit", ["five weeks' rent"], []),
    ("es", "la casa de Station Road cuanto al mes", ["£1,150"], []),
    ("en", "how much is the 2 bed flat on canal walk", ["£219,500"], []),
    ("es", "si tengo gato cuanto mas me subis el alquiler", ["£25"], []),
    ("en", "is the old forge chain free?", ["chain free"], []),
    ("es", "si quito la casa de la venta antes de tiempo me cobrais algo", ["£395"], []),
    ("en", "latest time i can do a viewing after work on a weekday", ["19:00"], []),
    ("es", "telefono para temas de alquiler", ["01632 960 745"], []),
    ("en", "which buses stop near your office", ["44 and X9"], []),
    ("es", "quien lleva los alquileres en la agencia", ["Ruth Finch"], []),
    ("en", "how much do i need to earn to rent from you", ["30 times the monthly rent"], []),
    ("es", "como se llama el asesor de hipotecas", ["Kwame Asante"], []),
    ("es", "estais en algun organismo de reclamaciones / defensor?", ["The Property Ombudsman"], []),
    ("en", "what time do u shut on saturdays", ["14:00"], []),
    ("en", "price of the cottage in little easton and which council tax band is it", ["£345,000", "band D"], []),
    ("en", "how many years left on the lease at wharf house and whats the yearly service charge", ["112 years", "£1,380 a year"], []),
    ("es", "cuanto piden por la casa de 4 habitaciones de Church Road y por la de Mill Lane", ["£575,000", "£345,000"], []),
    ("es", "a que hora cerrais entre semana y los sabados", ["17:30", "14:00"], []),
    # unanswerable
    ("en", "how much stamp duty would i pay on the cottage", [], ["stamp duty", "SDLT"]),
    ("en", "do you sell commercial units like shops", [], ["commercial", "retail", "shop unit"]),
    ("en", "what does your mortgage guy charge for his advice", [], ["broker fee", "adviser fee", "mortgage fee", "arrangement fee"]),
    ("en", "do you sell houses at auction", [], ["auction"]),
    ("es", "cuanto cuesta el certificado electrico para alquilar (EICR)", [], ["EICR", "electrical"]),
    ("es", "la casita de Orchard Cottage tiene chimenea?", [], ["fireplace", "log burner", "wood burner", "chimney"]),
    ("es", "cuanto cobrais por renovar el contrato de alquiler cuando se acaba", [], ["renewal", "renew"]),
    ("es", "el piso de Wharf House tiene trastero?", [], ["storage", "store room", "cellar"]),
]


def main():
    out, src, n = [], [], 0
    for slug, items in Q.items():
        doc = BUSINESSES[slug]["doc"]
        for lang, q, facts, absent in items:
            n += 1
            rec = {"id": f"kq2-{n:03d}", "doc": doc, "business": slug, "language": lang,
                   "question": q, "answerable": bool(facts), "facts": facts, "multi": len(facts) > 1}
            out.append(rec)
            src.append(dict(rec, absent_keywords=absent))
    with open(os.path.join(HERE, "questions.jsonl"), "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "questions_src.json"), "w", encoding="utf-8") as f:
        json.dump(src, f, ensure_ascii=False, indent=1)
    bj = {s: {"doc": b["doc"], "template": b["template"], "languages": ["en", "es"]} for s, b in BUSINESSES.items()}
    with open(os.path.join(HERE, "businesses.json"), "w", encoding="utf-8") as f:
        json.dump(bj, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"wrote {len(out)} questions")

if __name__ == "__main__":
    main()
