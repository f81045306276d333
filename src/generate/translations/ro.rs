//! Romanian. Topics: `{t0}` nominative-accusative with the definite article
//! (after „despre”, „privind”), `{t1}` genitive-dative (after „în domeniul”);
//! places after „la”.

use super::{Bank, Theme};

pub(super) const BANK: Bank = Bank {
    tag: "ro",
    titles: &[
        "OSCE organizează un seminar despre {t0} {in}",
        "{t0} în centrul unei conferințe OSCE {in}",
        "OSCE sprijină eforturile naționale în domeniul {t1}",
        "Experți discută aspecte ale {t1} la o reuniune OSCE {in}",
        "Curs de instruire al OSCE privind {t0} {in}",
        "OSCE prezintă un raport privind {t0}",
        "Masă rotundă a OSCE despre {t0} {in}",
        "Un nou proiect OSCE în sprijinul {t1}",
        "Autoritățile și societatea civilă discută {in} despre {t0}",
    ],
    frames: &[
        "Participanții au discutat aspecte actuale ale {t1}.",
        "O atenție deosebită a fost acordată {t1}.",
        "OSCE va continua să sprijine eforturile naționale în domeniul {t1}.",
        "Tema {t1} rămâne una dintre prioritățile activității OSCE în regiune.",
    ],
    general: &[
        "Evenimentul a fost organizat în cooperare cu autoritățile țării gazdă.",
        "Activitatea face parte dintr-un proiect extrabugetar finanțat de mai multe state participante.",
        "Participanții au convenit asupra unui set de recomandări care vor fi prezentate autorităților.",
        "OSCE va continua să sprijine punerea în aplicare a acestor angajamente.",
        "Alte activități sunt planificate în lunile următoare.",
        "La eveniment au participat peste 40 de reprezentanți ai instituțiilor de stat și ai societății civile.",
    ],
    themes: [
        // Arms control, the security sector.
        Theme {
            topics: &[
                ["controlul armamentelor", "controlului armamentelor"],
                [
                    "reforma sectorului de securitate",
                    "reformei sectorului de securitate",
                ],
            ],
            sentences: &[
                "Experții au analizat depozitarea în siguranță și distrugerea surplusului de arme de calibru mic și muniție.",
                "Documentul de la Viena rămâne un instrument esențial pentru transparența militară și consolidarea încrederii.",
                "Parlamentarii au discutat despre controlul democratic asupra forțelor armate și serviciilor de securitate.",
            ],
        },
        // Borders, migration.
        Theme {
            topics: &[
                ["gestionarea frontierelor", "gestionării frontierelor"],
                ["guvernanța migrației", "guvernanței migrației"],
            ],
            sentences: &[
                "Polițiștii de frontieră și vameșii au exersat patrulări comune și analiza riscurilor la punctele de trecere a frontierei.",
                "OSCE ajută la menținerea frontierelor deschise pentru comerț și călătorii, făcându-le totodată mai sigure.",
                "Participanții au discutat despre drepturile migranților, precum și despre returnarea și reintegrarea persoanelor strămutate.",
            ],
        },
        // Conflict prevention.
        Theme {
            topics: &[
                ["prevenirea conflictelor", "prevenirii conflictelor"],
                [
                    "monitorizarea încetării focului",
                    "monitorizării încetării focului",
                ],
            ],
            sentences: &[
                "Observatorii au înregistrat încălcări ale încetării focului și le-au raportat tuturor părților.",
                "Mediatorii s-au întâlnit cu părțile pentru a conveni asupra unor măsuri de consolidare a încrederii și asupra accesului umanitar.",
                "Avertizarea timpurie ajută la prevenirea transformării tensiunilor într-un conflict deschis.",
            ],
        },
        // Democratization, the rule of law.
        Theme {
            topics: &[
                ["statul de drept", "statului de drept"],
                ["instituțiile democratice", "instituțiilor democratice"],
            ],
            sentences: &[
                "Judecătorii și procurorii au discutat despre independența justiției și standardele unui proces echitabil.",
                "OSCE sprijină parlamentele pentru ca procesul legislativ să devină mai deschis și mai incluziv.",
                "Reprezentanții autorităților locale au învățat cum să implice cetățenii în luarea deciziilor.",
            ],
        },
        // Economic activities, good governance.
        Theme {
            topics: &[
                ["buna guvernare", "bunei guvernări"],
                ["cooperarea economică", "cooperării economice"],
            ],
            sentences: &[
                "Funcționarii au discutat măsuri de combatere a corupției și a spălării banilor.",
                "Achizițiile publice transparente consolidează încrederea în instituțiile statului.",
                "Conexiunile de transport mai bune sprijină dezvoltarea economică în întreaga regiune.",
            ],
        },
        // Elections.
        Theme {
            topics: &[
                ["alegerile", "alegerilor"],
                ["observarea alegerilor", "observării alegerilor"],
            ],
            sentences: &[
                "Observatorii au urmărit deschiderea secțiilor de votare, votarea și numărarea voturilor.",
                "Raportul final privind alegerile conține recomandări pentru îmbunătățirea legislației electorale.",
                "Membrii comisiilor electorale au fost instruiți privind înregistrarea alegătorilor și procedurile din ziua alegerilor.",
                "Misiunea de observare a alegerilor va evalua în ce măsură scrutinul respectă angajamentele OSCE și standardele internaționale.",
                "Participanții au discutat despre pregătirea alegerilor locale și despre rolul presei în campania electorală.",
                "Alegeri libere și corecte nu sunt posibile fără o administrație electorală independentă.",
            ],
        },
        // The environment.
        Theme {
            topics: &[
                ["protecția mediului", "protecției mediului"],
                ["gestionarea apelor", "gestionării apelor"],
            ],
            sentences: &[
                "Centrele Aarhus informează cetățenii despre deciziile de mediu și despre dreptul lor de a participa la acestea.",
                "Experții au discutat despre schimbările climatice, gestionarea apelor și reducerea riscului de dezastre.",
                "Deșeurile periculoase reprezintă o amenințare pentru sănătatea oamenilor și pentru securitate.",
            ],
        },
        // Gender equality.
        Theme {
            topics: &[
                ["egalitatea de gen", "egalității de gen"],
                ["participarea femeilor", "participării femeilor"],
            ],
            sentences: &[
                "Femeile rămân subreprezentate în funcțiile de conducere din sectorul de securitate.",
                "Participanții au discutat modalități de prevenire și combatere a violenței împotriva femeilor.",
                "Egalitatea de gen este o parte esențială a securității cuprinzătoare.",
            ],
        },
        // Human rights.
        Theme {
            topics: &[
                ["drepturile omului", "drepturilor omului"],
                ["libertatea de întrunire", "libertății de întrunire"],
            ],
            sentences: &[
                "Apărătorii drepturilor omului trebuie să poată lucra fără teama de represalii.",
                "Instruirea a abordat libertatea de întrunire pașnică și prevenirea torturii.",
                "Respectarea drepturilor omului și a libertăților fundamentale se află în centrul angajamentelor OSCE.",
            ],
        },
        // Media freedom.
        Theme {
            topics: &[
                ["libertatea presei", "libertății presei"],
                ["siguranța jurnaliștilor", "siguranței jurnaliștilor"],
            ],
            sentences: &[
                "Jurnaliștii trebuie să își poată desfășura activitatea în siguranță și fără ingerințe.",
                "Seminarul a fost dedicat pluralismului mediatic, accesului la informații și combaterii dezinformării.",
                "Reprezentantul OSCE pentru libertatea presei a condamnat atacul asupra unui jurnalist.",
            ],
        },
        // National minorities, Roma and Sinti, tolerance.
        Theme {
            topics: &[
                [
                    "drepturile minorităților naționale",
                    "drepturilor minorităților naționale",
                ],
                [
                    "toleranța și nediscriminarea",
                    "toleranței și nediscriminării",
                ],
            ],
            sentences: &[
                "Minoritățile naționale trebuie să își poată folosi limbile în educație și în viața publică.",
                "Participanții au discutat despre incluziunea romilor și a sinti și despre accesul lor la educație.",
                "Infracțiunile motivate de ură și discursul instigator la ură amenință coeziunea societății.",
            ],
        },
        // Policing.
        Theme {
            topics: &[
                ["poliția comunitară", "poliției comunitare"],
                ["reforma poliției", "reformei poliției"],
            ],
            sentences: &[
                "Polițiștii au fost instruiți în domeniul poliției comunitare și al respectării drepturilor omului.",
                "Reforma poliției urmărește ca poliția să fie mai responsabilă față de cetățeni.",
                "Anchetatorii au făcut schimb de experiență în combaterea criminalității organizate și a traficului de droguri.",
            ],
        },
        // Terrorism, cyber security.
        Theme {
            topics: &[
                ["combaterea terorismului", "combaterii terorismului"],
                ["securitatea cibernetică", "securității cibernetice"],
            ],
            sentences: &[
                "Participanții au discutat despre prevenirea extremismului violent și a radicalizării care conduc la terorism.",
                "Măsurile de consolidare a încrederii reduc riscul de conflict generat de utilizarea tehnologiilor informației și comunicațiilor.",
                "Experții au exersat reacția la un atac cibernetic asupra infrastructurii critice.",
            ],
        },
        // Trafficking in human beings.
        Theme {
            topics: &[
                [
                    "combaterea traficului de persoane",
                    "combaterii traficului de persoane",
                ],
                [
                    "protecția victimelor traficului",
                    "protecției victimelor traficului",
                ],
            ],
            sentences: &[
                "Victimele traficului de persoane au nevoie de protecție și sprijin, nu de pedeapsă.",
                "În cadrul unui exercițiu de simulare, participanții au exersat identificarea victimelor exploatării prin muncă.",
                "Procurorii și asistenții sociali au făcut schimb de experiență privind investigarea cazurilor de trafic de persoane.",
            ],
        },
        // Education, youth.
        Theme {
            topics: &[
                ["participarea tinerilor", "participării tinerilor"],
                ["educația", "educației"],
            ],
            sentences: &[
                "Tineri din întreaga regiune au discutat despre rolul lor în consolidarea păcii.",
                "OSCE sprijină școlile în predarea toleranței și a respectului reciproc.",
                "Studenții au participat la o dezbatere despre securitate și cooperare în Europa.",
            ],
        },
    ],
    months: [
        "ianuarie",
        "februarie",
        "martie",
        "aprilie",
        "mai",
        "iunie",
        "iulie",
        "august",
        "septembrie",
        "octombrie",
        "noiembrie",
        "decembrie",
    ],
    places: [
        ("Viena", "la Viena"),
        ("Așgabat", "la Așgabat"),
        ("Sarajevo", "la Sarajevo"),
        ("Zagreb", "la Zagreb"),
        ("Tbilisi", "la Tbilisi"),
        ("Chișinău", "la Chișinău"),
        ("Podgorica", "la Podgorica"),
        ("Belgrad", "la Belgrad"),
        ("Skopje", "la Skopje"),
        ("Moscova", "la Moscova"),
        ("Minsk", "la Minsk"),
        ("Erevan", "la Erevan"),
        ("Tirana", "la Tirana"),
        ("Astana", "la Astana"),
        ("Bișkek", "la Bișkek"),
        ("Dușanbe", "la Dușanbe"),
        ("Kiev", "la Kiev"),
        ("Tașkent", "la Tașkent"),
    ],
    preposition: "la",
    first_day: "1",
    day_suffix: "",
    year_suffix: "",
};
