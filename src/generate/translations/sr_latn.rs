//! Serbian in the Latin script (ekavian). Topics: `{t0}` nominative, `{t1}`
//! genitive (after „na temu”, „u oblasti”); places after „u” in the locative.

use super::{Bank, Theme};

pub(super) const BANK: Bank = Bank {
    tag: "sr-Latn",
    titles: &[
        "OEBS organizovao seminar na temu {t1} {in}",
        "{t0} u fokusu konferencije OEBS-a {in}",
        "OEBS podržava nacionalne napore u oblasti {t1}",
        "Stručnjaci razgovarali o pitanjima {t1} na sastanku OEBS-a {in}",
        "{in} održana obuka OEBS-a na temu {t1}",
        "OEBS predstavio izveštaj o stanju u oblasti {t1}",
        "Okrugli sto OEBS-a o pitanjima {t1} {in}",
        "Novi projekat OEBS-a u oblasti {t1}",
        "Predstavnici vlasti i civilnog društva razgovarali o pitanjima {t1} {in}",
    ],
    frames: &[
        "Učesnici su razgovarali o aktuelnim pitanjima {t1}.",
        "Posebna pažnja posvećena je pitanjima {t1}.",
        "OEBS će nastaviti da podržava nacionalne napore u oblasti {t1}.",
        "Tema {t1} ostaje jedan od prioriteta rada OEBS-a u regionu.",
    ],
    general: &[
        "Događaj je organizovan u saradnji sa vlastima zemlje domaćina.",
        "Aktivnost je deo vanbudžetskog projekta koji finansira nekoliko država učesnica.",
        "Učesnici su se složili oko niza preporuka koje će biti predstavljene nadležnim organima.",
        "OEBS će nastaviti da podržava sprovođenje ovih obaveza.",
        "Dalje aktivnosti planirane su za naredne mesece.",
        "Na događaju je učestvovalo više od 40 predstavnika državnih institucija i civilnog društva.",
    ],
    themes: [
        // Arms control, the security sector.
        Theme {
            topics: &[
                ["kontrola naoružanja", "kontrole naoružanja"],
                ["reforma sektora bezbednosti", "reforme sektora bezbednosti"],
            ],
            sentences: &[
                "Stručnjaci su razmotrili bezbedno skladištenje i uništavanje viškova malog i lakog oružja i municije.",
                "Bečki dokument ostaje ključni instrument vojne transparentnosti i izgradnje poverenja.",
                "Poslanici su razgovarali o demokratskoj kontroli oružanih snaga i službi bezbednosti.",
            ],
        },
        // Borders, migration.
        Theme {
            topics: &[
                ["upravljanje granicama", "upravljanja granicama"],
                ["upravljanje migracijama", "upravljanja migracijama"],
            ],
            sentences: &[
                "Granični policajci i carinici uvežbavali su zajedničko patroliranje i analizu rizika na graničnim prelazima.",
                "OEBS pomaže da granice ostanu otvorene za trgovinu i putovanja, a da pritom budu bezbednije.",
                "Učesnici su razgovarali o pravima migranata, kao i o povratku i reintegraciji raseljenih lica.",
            ],
        },
        // Conflict prevention.
        Theme {
            topics: &[
                ["sprečavanje sukoba", "sprečavanja sukoba"],
                ["praćenje prekida vatre", "praćenja prekida vatre"],
            ],
            sentences: &[
                "Posmatrači su zabeležili kršenja prekida vatre i o njima obavestili sve strane.",
                "Posrednici su se sastali sa stranama kako bi se dogovorili o merama izgradnje poverenja i humanitarnom pristupu.",
                "Rano upozoravanje pomaže da se spreči da napetosti prerastu u otvoreni sukob.",
            ],
        },
        // Democratization, the rule of law.
        Theme {
            topics: &[
                ["vladavina prava", "vladavine prava"],
                ["demokratske institucije", "demokratskih institucija"],
            ],
            sentences: &[
                "Sudije i tužioci razgovarali su o nezavisnosti pravosuđa i standardima pravičnog suđenja.",
                "OEBS pomaže parlamentima da zakonodavni proces učine otvorenijim i inkluzivnijim.",
                "Predstavnici lokalnih samouprava učili su kako da uključe građane u donošenje odluka.",
            ],
        },
        // Economic activities, good governance.
        Theme {
            topics: &[
                ["dobro upravljanje", "dobrog upravljanja"],
                ["ekonomska saradnja", "ekonomske saradnje"],
            ],
            sentences: &[
                "Zvaničnici su razgovarali o merama za borbu protiv korupcije i pranja novca.",
                "Transparentne javne nabavke jačaju poverenje u državne institucije.",
                "Bolje saobraćajne veze podstiču ekonomski razvoj u celom regionu.",
            ],
        },
        // Elections.
        Theme {
            topics: &[
                ["izbori", "izbora"],
                ["posmatranje izbora", "posmatranja izbora"],
            ],
            sentences: &[
                "Posmatrači su pratili otvaranje biračkih mesta, glasanje i prebrojavanje glasova.",
                "Završni izveštaj o izborima sadrži preporuke za unapređenje izbornog zakonodavstva.",
                "Članovi izbornih komisija obučeni su za upis birača i procedure na dan izbora.",
                "Misija za posmatranje izbora oceniće u kojoj meri su izbori u skladu sa obavezama OEBS-a i međunarodnim standardima.",
                "Učesnici su razgovarali o pripremama za lokalne izbore i ulozi medija u izbornoj kampanji.",
                "Slobodni i pošteni izbori nisu mogući bez nezavisne izborne administracije.",
            ],
        },
        // The environment.
        Theme {
            topics: &[
                ["zaštita životne sredine", "zaštite životne sredine"],
                ["upravljanje vodama", "upravljanja vodama"],
            ],
            sentences: &[
                "Orhuski centri obaveštavaju građane o odlukama koje se tiču životne sredine i o njihovom pravu da u njima učestvuju.",
                "Stručnjaci su razgovarali o klimatskim promenama, upravljanju vodama i smanjenju rizika od katastrofa.",
                "Opasan otpad predstavlja pretnju po zdravlje ljudi i bezbednost.",
            ],
        },
        // Gender equality.
        Theme {
            topics: &[
                ["rodna ravnopravnost", "rodne ravnopravnosti"],
                ["učešće žena", "učešća žena"],
            ],
            sentences: &[
                "Žene su i dalje nedovoljno zastupljene na rukovodećim položajima u sektoru bezbednosti.",
                "Učesnici su razgovarali o načinima sprečavanja i suzbijanja nasilja nad ženama.",
                "Rodna ravnopravnost je suštinski deo sveobuhvatne bezbednosti.",
            ],
        },
        // Human rights.
        Theme {
            topics: &[
                ["ljudska prava", "ljudskih prava"],
                ["sloboda okupljanja", "slobode okupljanja"],
            ],
            sentences: &[
                "Branioci ljudskih prava moraju moći da rade bez straha od odmazde.",
                "Obuka je obuhvatila slobodu mirnog okupljanja i sprečavanje mučenja.",
                "Poštovanje ljudskih prava i osnovnih sloboda u središtu je obaveza OEBS-a.",
            ],
        },
        // Media freedom.
        Theme {
            topics: &[
                ["sloboda medija", "slobode medija"],
                ["bezbednost novinara", "bezbednosti novinara"],
            ],
            sentences: &[
                "Novinari moraju moći da obavljaju svoj posao bezbedno i bez mešanja.",
                "Seminar je bio posvećen medijskom pluralizmu, pristupu informacijama i borbi protiv dezinformacija.",
                "Predstavnik OEBS-a za slobodu medija osudio je napad na novinara.",
            ],
        },
        // National minorities, Roma and Sinti, tolerance.
        Theme {
            topics: &[
                ["prava nacionalnih manjina", "prava nacionalnih manjina"],
                [
                    "tolerancija i nediskriminacija",
                    "tolerancije i nediskriminacije",
                ],
            ],
            sentences: &[
                "Nacionalne manjine treba da mogu da koriste svoje jezike u obrazovanju i javnom životu.",
                "Učesnici su razgovarali o inkluziji Roma i Sinta i njihovom pristupu obrazovanju.",
                "Zločini iz mržnje i govor mržnje ugrožavaju koheziju društva.",
            ],
        },
        // Policing.
        Theme {
            topics: &[
                ["rad policije u zajednici", "rada policije u zajednici"],
                ["reforma policije", "reforme policije"],
            ],
            sentences: &[
                "Policijski službenici obučeni su za rad policije u zajednici i poštovanje ljudskih prava.",
                "Cilj reforme policije je da policija bude odgovornija građanima.",
                "Istražitelji su razmenili iskustva u borbi protiv organizovanog kriminala i trgovine drogom.",
            ],
        },
        // Terrorism, cyber security.
        Theme {
            topics: &[
                ["borba protiv terorizma", "borbe protiv terorizma"],
                ["sajber bezbednost", "sajber bezbednosti"],
            ],
            sentences: &[
                "Učesnici su razgovarali o tome kako sprečiti nasilni ekstremizam i radikalizaciju koji vode ka terorizmu.",
                "Mere izgradnje poverenja smanjuju rizik od sukoba koji proističu iz upotrebe informacionih i komunikacionih tehnologija.",
                "Stručnjaci su uvežbavali reagovanje na sajber napad na kritičnu infrastrukturu.",
            ],
        },
        // Trafficking in human beings.
        Theme {
            topics: &[
                [
                    "borba protiv trgovine ljudima",
                    "borbe protiv trgovine ljudima",
                ],
                [
                    "zaštita žrtava trgovine ljudima",
                    "zaštite žrtava trgovine ljudima",
                ],
            ],
            sentences: &[
                "Žrtvama trgovine ljudima potrebna je zaštita i podrška, a ne kazna.",
                "Tokom simulacione vežbe učesnici su uvežbavali identifikaciju žrtava radne eksploatacije.",
                "Tužioci i socijalni radnici razmenili su iskustva u istraživanju slučajeva trgovine ljudima.",
            ],
        },
        // Education, youth.
        Theme {
            topics: &[
                ["učešće mladih", "učešća mladih"],
                ["obrazovanje", "obrazovanja"],
            ],
            sentences: &[
                "Mladi iz celog regiona razgovarali su o svojoj ulozi u izgradnji mira.",
                "OEBS pomaže školama da podučavaju toleranciju i međusobno poštovanje.",
                "Studenti su učestvovali u debati o bezbednosti i saradnji u Evropi.",
            ],
        },
    ],
    months: [
        "januar",
        "februar",
        "mart",
        "april",
        "maj",
        "jun",
        "jul",
        "avgust",
        "septembar",
        "oktobar",
        "novembar",
        "decembar",
    ],
    places: [
        ("Beč", "u Beču"),
        ("Ašhabad", "u Ašhabadu"),
        ("Sarajevo", "u Sarajevu"),
        ("Zagreb", "u Zagrebu"),
        ("Tbilisi", "u Tbilisiju"),
        ("Kišinjev", "u Kišinjevu"),
        ("Podgorica", "u Podgorici"),
        ("Beograd", "u Beogradu"),
        ("Skoplje", "u Skoplju"),
        ("Moskva", "u Moskvi"),
        ("Minsk", "u Minsku"),
        ("Jerevan", "u Jerevanu"),
        ("Tirana", "u Tirani"),
        ("Astana", "u Astani"),
        ("Biškek", "u Biškeku"),
        ("Dušanbe", "u Dušanbeu"),
        ("Kijev", "u Kijevu"),
        ("Taškent", "u Taškentu"),
    ],
    preposition: "u",
    first_day: "1",
    day_suffix: ".",
    year_suffix: ".",
};
