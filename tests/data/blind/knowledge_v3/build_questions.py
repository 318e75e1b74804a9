"""Writes questions.jsonl, questions_src.json and businesses.json from the lists below.
Each entry: (language, question, facts, absence_keywords). facts == [] -> unanswerable;
len(facts) == 2 -> two-part question (one fact per part)."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))

BUSINESSES = {
    "blind3-dental-es":      {"doc": "dental-es.pdf",       "template": "dental"},
    "blind3-legal-en":       {"doc": "legal-en.md",         "template": "legal"},
    "blind3-restaurant-en":  {"doc": "restaurant-en.html",  "template": "restaurant"},
    "blind3-realestate-es":  {"doc": "realestate-es.md",    "template": "real_estate"},
}

Q = {}

Q["blind3-dental-es"] = [
    ("en", "how much is a reguar scale and polish with you?", ["55 €"], []),
    ("es", "hola! la primera cita para que me miren la boca se paga o no?", ["gratuita"], []),
    ("en", "wat time do u shut on a friday", ["15:00"], []),
    ("es", "cuanto sale ponerme los alineadores esos transparentes para enderezar los dientes", ["2.900 €"], []),
    ("en", "price for a root canal on one of my back teeth?", ["280 €"], []),
    ("es", "q dias cerrais en verano por vacas", ["10 al 23 de agosto"], []),
    ("en", "how much to get a wisdom tooth taken out", ["120 €"], []),
    ("es", "el dia de nochevieja abris? hasta que hora", ["13:00"], []),
    ("en", "an implant including the tooth on top, what's the total?", ["1.190 €"], []),
    ("es", "tengo la cara hinchada y un dolor horrible, me podeis atender hoy mismo?", ["antes de las 11:00"], []),
    ("en", "is there a number i can ring at night or on a sunday if something happens", ["600 000 199"], []),
    ("es", "si me teneis que atender de urgencia un domingo cuanto me cobrais extra", ["60 €"], []),
    ("en", "i grind my teeth when i sleep, how much is a guard for that", ["210 €"], []),
    ("es", "mi niña tiene 9 años, cuanto me cuesta que le hagais un chequeo", ["gratuitas"], []),
    ("en", "r u open saturdays? what time till", ["13:30"], []),
    ("es", "donde dejo el coche? me sale caro el parking?", ["primera hora"], []),
    ("en", "what's the lowest treatment cost you can spread over months?", ["600 €"], []),
    ("es", "con cuanto tiempo tengo que avisar si no puedo ir a la cita", ["24 horas"], []),
    ("en", "how much upfront do you want before starting an implant", ["20 %"], []),
    ("es", "trabajais con mi seguro de salud privado? tengo sanitas", ["ninguna compañía aseguradora"], []),
    ("en", "what do you charge if i forget my appointment and never call", ["20 €"], []),
    ("es", "el presupuesto q me disteis hasta cuando me lo respetais", ["6 meses"], []),
    ("en", "which bus stop do i get off at for the clinic", ["Plaza de los Tilos"], []),
    ("es", "desde q me ponen el tornillo hasta q tengo el diente fijo cuanto tiempo pasa", ["tres a cuatro meses"], []),
    ("en", "who is the orthodontist there", ["Óscar Villalta"], []),
    ("es", "me dan panico las agujas, me podeis dormir para sacar la muela? precio?", ["250 €"], []),
    ("en", "is there a dentist who specialises in small kids", ["Lucía Garrido"], []),
    ("es", "estoy embarazada de 4 meses, me puedo hacer un blanqueamiento?", ["Desaconsejamos"], []),
    ("en", "how much is whitening done in the chair and how much is the kit you use at home?", ["320 €", "190 €"], []),
    ("en", "the monthly family membership - how much per person and what % off do we get on other treatments", ["9,90 €", "15 %"], []),
    ("es", "de lunes a jueves a q hora empezais por la mañana y a q hora os vais por la tarde?", ["9:00", "20:30"], []),
    ("es", "cuanto cuesta el escaner 3d de la boca y la radiografia grande de toda la boca", ["85 €", "30 €"], []),
    # unanswerable
    ("en", "how much do porcelain veneers cost at your place?", [], ["carilla", "veneer"]),
    ("en", "do u make full dentures, price?", [], ["prótesis", "dentadura"]),
    ("en", "any discount for students?", [], ["estudiante", "student", "universitari"]),
    ("en", "do you do botox or fillers for lines round the mouth", [], ["bótox", "botox", "hialurónico", "relleno"]),
    ("es", "cuanto cuesta un puente fijo de tres piezas", [], ["puente"]),
    ("es", "precio de una incrustacion de ceramica (onlay)", [], ["incrustación", "onlay", "inlay"]),
    ("es", "si pago todo el tratamiento al contado me haceis rebaja?", [], ["al contado", "pronto pago"]),
    ("es", "cuanto valen los brackets metalicos de siempre", [], ["bracket", "metálic"]),
]

Q["blind3-legal-en"] = [
    ("en", "how much is it for a first sit-down with one of your solicitors", ["£95 + VAT"], []),
    ("es", "cuanto cobrais por la primera consulta si la hago por videollamada", ["£95"], []),
    ("en", "r u open late any evening? i finish work at 5", ["19:00"], []),
    ("es", "cuanto cuesta un poder para que mi hija lleve mis cosas si me pasa algo (LPA)", ["£450"], []),
    ("en", "price of a basic will, just for me", ["£250 + VAT"], []),
    ("es", "y aparte de vuestros honorarios, cuanto es la tasa de registro de ese poder?", ["£82"], []),
    ("en", "me and my husband want wills that match each other, how much", ["£395 + VAT"], []),
    ("es", "cuanto me cobrais por tramitar el grant of probate de mi padre, solo eso", ["£1,200"], []),
    ("en", "what do i need to bring along to my first meeting", ["photo ID"], []),
    ("es", "precio por llevar la venta de mi casa (freehold)", ["£850"], []),
    ("en", "roughly how long from offer accepted to moving in when buying", ["10 to 14 weeks"], []),
    ("es", "y si el piso es leasehold cuanto se suma", ["£250"], []),
    ("en", "my nan is in a care home, can someone come out to do her will? cost?", ["£75"], []),
    ("es", "cuanto cuesta cambiar mi hipoteca a otro banco, la parte legal", ["£525"], []),
    ("en", "can i get legal aid with you", ["do not offer legal aid"], []),
    ("es", "divorcio sin peleas, los dos de acuerdo, cuanto cobrais", ["£600"], []),
    ("en", "someone crashed into my car and i hurt my back, can u take my claim", ["do not handle personal injury"], []),
    ("es", "numero para dejar un recado cuando esta cerrado", ["01632 960 311"], []),
    ("en", "when you charge by the hour whats the smallest chunk of time you bill", ["6-minute units"], []),
    ("es", "voy a ir a una cita por la tarde, donde aparco el coche", ["Orchard Street"], []),
    ("en", "my boss is trying to push me out of my job, who at the firm deals with that", ["Daniel Reeve"], []),
    ("es", "cuanto dinero tengo que adelantar antes de que empeceis con la compra de mi casa", ["£300"], []),
    ("en", "my mum's english isn't great, she speaks polish - anyone there who can talk to her?", ["Agnieszka Nowak"], []),
    ("es", "abris algun sabado? hasta que hora", ["12:30"], []),
    ("en", "whats the max i can pay in notes and coins", ["£500"], []),
    ("es", "cual es vuestro numero de registro en la SRA", ["800417"], []),
    ("en", "do you hold on to the original will for me and does that cost anything", ["free of charge"], []),
    ("es", "si no estoy contento con vosotros a que organismo puedo reclamar", ["Legal Ombudsman"], []),
    ("en", "when do you shut for the xmas break and what day are you back?", ["23 December", "2 January"], []),
    ("en", "whats the partner's rate per hour and how much for a trainee?", ["£260", "£110"], []),
    ("es", "quien lleva los divorcios y quien se encarga de compras de casas?", ["Priya Lyle", "Tom Harcourt"], []),
    ("es", "cuanto es lo maximo por revisar el acuerdo de despido que me ofrece la empresa y cual es la direccion?", ["£500", "14 Tanner's Row"], []),
    # unanswerable
    ("en", "how much do you charge for a prenup before we get married", [], ["prenup", "nuptial"]),
    ("en", "can you help me with my spouse visa application", [], ["immigration", "visa"]),
    ("en", "i rent out a flat and need the tenant gone, do you do eviction notices", [], ["eviction", "section 21", "possession"]),
    ("en", "what do u charge to change my name by deed poll", [], ["deed poll", "change of name"]),
    ("es", "quiero impugnar el testamento de mi tio, cuanto me costaria", [], ["contentious", "dispute", "challenge"]),
    ("es", "me ayudais a montar una sociedad limitada para mi negocio?", [], ["company", "limited", "business"]),
    ("es", "teneis otra oficina en otra ciudad o solo la de wexcombe", [], ["branch", "other office", "offices in"]),
    ("es", "alguno de los abogados habla español? mi ingles no es muy bueno", [], ["Spanish", "español"]),
]

Q["blind3-restaurant-en"] = [
    ("en", "how long before you close does the kitchen stop taking food orders", ["30 minutes"], []),
    ("es", "a que hora cerrais el sabado por la noche", ["22:30"], []),
    ("en", "how much is the two course lunch deal", ["£19"], []),
    ("es", "y la barra hasta que hora esta abierta los viernes?", ["23:30"], []),
    ("en", "price of the fish n chips?", ["£17.50"], []),
    ("es", "cuanto cuesta la hamburguesa de la casa", ["£16.50"], []),
    ("en", "my son has a nut allergy, whats in the beetroot starter", ["hazelnuts"], []),
    ("es", "precio del risotto de setas", ["£16.00"], []),
    ("en", "can we bring our dog with us", ["bar and the courtyard"], []),
    ("es", "teneis pan sin gluten? cuesta algo?", ["£1"], []),
    ("en", "can i pay in cash", ["card-only"], []),
    ("es", "somos 9, cuanto hay que dejar de señal por cabeza", ["£10"], []),
    ("en", "how much to bring our own bottle of red", ["£15 corkage"], []),
    ("es", "cuantas horas antes hay que anular para que devuelvan la señal", ["48"], []),
    ("en", "coeliac here and even flour in the air sets me off - can u cook for me safely?", ["unable to cater"], []),
    ("es", "telefono para reservar mesa", ["01632 960 582"], []),
    ("en", "how much is the kids meal", ["£8.50"], []),
    ("es", "cuanto cuestan los vales regalo como minimo", ["£25"], []),
    ("en", "whats on for the 31st dec at night and how much a head", ["£70 per person"], []),
    ("es", "quienes son los chefs del restaurante", ["Hannah Wren"], []),
    ("en", "if we're running late how long will you keep our table", ["20 minutes"], []),
    ("es", "cuanto vale el pollo asado del domingo", ["£18"], []),
    ("en", "we're a party of 10, can i just book on the website", ["7 or more"], []),
    ("es", "si llevamos nuestra tarta de cumpleaños nos cobrais algo?", ["£2"], []),
    ("en", "is there a tip added automatically for big tables", ["12.5%"], []),
    ("es", "cual es la direccion exacta", ["7 Market Hill"], []),
    ("en", "open on the may bank holiday monday? what time", ["16:00"], []),
    ("es", "hay algun aparcamiento cerca del restaurante?", ["Mill Street"], []),
    ("en", "sunday roast beef - how much, and what's the veggie roast option?", ["£21", "Nut roast"], []),
    ("en", "how much is a glass of house wine and what about a whole bottle", ["£6.50", "£24"], []),
    ("es", "cuanto cuesta el cordero y cuanto el pudin de toffee", ["£22.00", "£7.50"], []),
    ("es", "a que hora abris a mediodia y cuanto es el menu para niños", ["12:00", "£8.50"], []),
    # unanswerable
    ("en", "do you deliver through deliveroo", [], ["deliveroo", "delivery", "uber"]),
    ("en", "is ur meat halal", [], ["halal"]),
    ("en", "do you do a tasting menu", [], ["tasting"]),
    ("en", "are you open on easter sunday", [], ["easter"]),
    ("es", "teneis leche sin lactosa o de avena para el cafe", [], ["lactose", "oat milk", "plant milk", "soya milk"]),
    ("es", "se puede fumar en el patio de fuera?", [], ["smoking", "cigar", "vaping"]),
    ("es", "haceis descuento a estudiantes", [], ["student", "discount"]),
    ("es", "cuanto cuesta alquilar el restaurante entero para una boda", [], ["wedding", "exclusive hire", "whole restaurant"]),
]

Q["blind3-realestate-es"] = [
    ("en", "whats your commission if only you get to sell my flat", ["3 %"], []),
    ("es", "como inquilino os tengo que pagar algo de comision?", ["no le cobramos honorarios"], []),
    ("en", "and if i put it with other agencies too?", ["4 %"], []),
    ("es", "que papeles me pedis para alquilar, trabajo por cuenta ajena", ["tres últimas nóminas"], []),
    ("en", "whats the least you'll charge to sell a property", ["3.000 €"], []),
    ("es", "cuanto tengo que cobrar al mes para que me alquileis el piso", ["tres veces la renta"], []),
    ("en", "how much for the energy certficate", ["120 €"], []),
    ("es", "si firmo en exclusiva cuanto tiempo me quedo atado", ["6 meses"], []),
    ("en", "price for a video filmed from a drone", ["150 €"], []),
    ("es", "si me arrepiento y quito la casa antes de acabar el contrato, me penalizais?", ["400 €"], []),
    ("en", "how much are they asking for the flat with sea views on paseo de levante", ["289.000 €"], []),
    ("es", "llevais pisos para alquilar por dias a turistas?", ["no llevamos pisos turísticos"], []),
    ("en", "rent per month for the place on calle alcoy?", ["850 €"], []),
    ("es", "los sabados hasta que hora esta abierta la oficina", ["13:30"], []),
    ("en", "what are the monthly community fees on the terraced house in els tarongers", ["75 €"], []),
    ("es", "en agosto que horario teneis", ["9:00 a 14:30"], []),
    ("en", "how many square meters is the studio by the market", ["38 m²"], []),
    ("es", "el adosado tiene pisci?", ["piscina comunitaria"], []),
    ("en", "how much do i put down to reserve a home and take it off the market", ["3.000 €"], []),
    ("es", "el estudio del mercado tiene ascensor? mi madre no puede subir escaleras", ["sin ascensor"], []),
    ("en", "who is the mortgage adviser you work with", ["Elena Brotons"], []),
    ("es", "tengo un perro pequeño, puedo alquilar el de la calle alcoy?", ["una mascota pequeña"], []),
    ("en", "what's your whatsapp", ["600 000 433"], []),
    ("es", "cuanto se va en impuestos y notaria al comprar un piso usado, mas o menos", ["12 %"], []),
    ("en", "what's your estate agent registration no.", ["AICV-2117"], []),
    ("es", "la plusvalia del ayuntamiento quien la paga comprador o vendedor", ["vendedor"], []),
    ("en", "how much is the yearly property tax (IBI) on the sea view flat", ["640 €"], []),
    ("es", "cuanto me pedis de deposito cuando firmo el alquiler", ["fianza legal de una mensualidad"], []),
    ("en", "rent of the ground floor place in la cala and how big is its patio?", ["1.100 €", "30 m²"], []),
    ("en", "can i get the phone number for buying and the one for renting?", ["600 000 431", "600 000 432"], []),
    ("es", "desp de reservar cuantos dias me guardais el piso, y cuanto se suele dar en las arras?", ["15 días", "10 %"], []),
    ("es", "donde teneis la oficina y donde puedo aparcar cerca", ["Calle del Puerto 12", "Plaza del Mar"], []),
    # unanswerable
    ("en", "do you have commercial premises or shops to rent", [], ["local comercial", "locales", "nave"]),
    ("en", "do you sell new builds or off-plan", [], ["obra nueva", "sobre plano", "promoción"]),
    ("en", "how far is the townhouse from the beach", [], ["playa"]),
    ("en", "any villas with a private pool for sale?", [], ["villa", "chalet", "piscina privada"]),
    ("es", "el piso del paseo de levante tiene calefaccion?", [], ["calefacción"]),
    ("es", "cuanto me cobrais por sacar la cedula de habitabilidad", [], ["cédula", "habitabilidad"]),
    ("es", "haceis home staging para vender mas rapido?", [], ["home staging", "decoración", "staging"]),
    ("es", "la señal de la reserva se puede pagar con tarjeta?", [], ["tarjeta", "transferencia", "efectivo"]),
]


def main():
    out, src, n = [], [], 0
    for slug, items in Q.items():
        doc = BUSINESSES[slug]["doc"]
        for lang, q, facts, absent in items:
            n += 1
            rec = {"id": f"kq3-{n:03d}", "doc": doc, "business": slug, "language": lang,
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
