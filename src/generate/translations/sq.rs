//! Albanian. Topics: `{t0}` nominative with the definite article (after
//! "te"), `{t1}` accusative with it (after "për", "mbi", "me"); places after
//! "në", without the article.

use super::{Bank, Theme};

pub(super) const BANK: Bank = Bank {
    tag: "sq",
    titles: &[
        "OSBE organizon një seminar për {t1} {in}",
        "{t0} në qendër të një konference të OSBE-së {in}",
        "OSBE mbështet përpjekjet kombëtare për {t1}",
        "Ekspertët diskutojnë për {t1} në një takim të OSBE-së {in}",
        "{in} u mbajt një trajnim i OSBE-së për {t1}",
        "OSBE prezanton një raport mbi {t1}",
        "Tryezë e rrumbullakët e OSBE-së për {t1} {in}",
        "Projekt i ri i OSBE-së për {t1}",
        "Përfaqësues të autoriteteve dhe të shoqërisë civile diskutojnë për {t1} {in}",
    ],
    frames: &[
        "Pjesëmarrësit diskutuan çështje aktuale që lidhen me {t1}.",
        "Vëmendje e veçantë iu kushtua çështjeve që lidhen me {t1}.",
        "OSBE do të vazhdojë të mbështesë përpjekjet kombëtare për {t1}.",
        "Puna e OSBE-së në rajon vazhdon të përqendrohet te {t0}.",
    ],
    general: &[
        "Aktiviteti u organizua në bashkëpunim me autoritetet e vendit pritës.",
        "Aktiviteti është pjesë e një projekti jashtëbuxhetor të financuar nga disa shtete pjesëmarrëse.",
        "Pjesëmarrësit ranë dakord për një sërë rekomandimesh që do t'u paraqiten autoriteteve.",
        "OSBE do të vazhdojë të mbështesë zbatimin e këtyre angazhimeve.",
        "Aktivitete të tjera janë planifikuar për muajt në vijim.",
        "Në aktivitet morën pjesë më shumë se 40 përfaqësues të institucioneve shtetërore dhe të shoqërisë civile.",
    ],
    themes: [
        // Arms control, the security sector.
        Theme {
            topics: &[
                ["kontrolli i armëve", "kontrollin e armëve"],
                [
                    "reforma e sektorit të sigurisë",
                    "reformën e sektorit të sigurisë",
                ],
            ],
            sentences: &[
                "Ekspertët shqyrtuan ruajtjen e sigurt dhe asgjësimin e tepricave të armëve të vogla dhe të lehta dhe të municioneve.",
                "Dokumenti i Vjenës mbetet një instrument kyç i transparencës ushtarake dhe i ndërtimit të besimit.",
                "Parlamentarët diskutuan për kontrollin demokratik mbi forcat e armatosura dhe shërbimet e sigurisë.",
            ],
        },
        // Borders, migration.
        Theme {
            topics: &[
                ["menaxhimi i kufijve", "menaxhimin e kufijve"],
                ["qeverisja e migracionit", "qeverisjen e migracionit"],
            ],
            sentences: &[
                "Policët kufitarë dhe doganierët praktikuan patrullime të përbashkëta dhe analizën e rrezikut në pikat e kalimit kufitar.",
                "OSBE ndihmon që kufijtë të mbeten të hapur për tregtinë dhe udhëtimet, duke i bërë njëkohësisht më të sigurt.",
                "Pjesëmarrësit diskutuan për të drejtat e migrantëve, si dhe për kthimin dhe riintegrimin e personave të zhvendosur.",
            ],
        },
        // Conflict prevention.
        Theme {
            topics: &[
                ["parandalimi i konflikteve", "parandalimin e konflikteve"],
                ["monitorimi i armëpushimit", "monitorimin e armëpushimit"],
            ],
            sentences: &[
                "Vëzhguesit regjistruan shkelje të armëpushimit dhe ua raportuan të gjitha palëve.",
                "Ndërmjetësit u takuan me palët për të rënë dakord për masat e ndërtimit të besimit dhe për qasjen humanitare.",
                "Paralajmërimi i hershëm ndihmon që tensionet të mos shndërrohen në konflikt të hapur.",
            ],
        },
        // Democratization, the rule of law.
        Theme {
            topics: &[
                ["sundimi i ligjit", "sundimin e ligjit"],
                ["institucionet demokratike", "institucionet demokratike"],
            ],
            sentences: &[
                "Gjyqtarët dhe prokurorët diskutuan për pavarësinë e gjyqësorit dhe standardet e një gjykimi të drejtë.",
                "OSBE ndihmon parlamentet që procesi ligjvënës të jetë më i hapur dhe më gjithëpërfshirës.",
                "Përfaqësuesit e pushtetit vendor mësuan se si t'i përfshijnë qytetarët në vendimmarrje.",
            ],
        },
        // Economic activities, good governance.
        Theme {
            topics: &[
                ["qeverisja e mirë", "qeverisjen e mirë"],
                ["bashkëpunimi ekonomik", "bashkëpunimin ekonomik"],
            ],
            sentences: &[
                "Zyrtarët diskutuan masat kundër korrupsionit dhe pastrimit të parave.",
                "Prokurimi publik transparent forcon besimin te institucionet shtetërore.",
                "Lidhjet më të mira të transportit nxisin zhvillimin ekonomik në të gjithë rajonin.",
            ],
        },
        // Elections.
        Theme {
            topics: &[
                ["zgjedhjet", "zgjedhjet"],
                ["vëzhgimi i zgjedhjeve", "vëzhgimin e zgjedhjeve"],
            ],
            sentences: &[
                "Vëzhguesit ndoqën hapjen e qendrave të votimit, votimin dhe numërimin e votave.",
                "Raporti përfundimtar për zgjedhjet përmban rekomandime për përmirësimin e legjislacionit zgjedhor.",
                "Anëtarët e komisioneve zgjedhore u trajnuan për regjistrimin e votuesve dhe procedurat e ditës së zgjedhjeve.",
                "Misioni i vëzhgimit të zgjedhjeve do të vlerësojë nëse zgjedhjet janë në përputhje me angazhimet e OSBE-së dhe standardet ndërkombëtare.",
                "Pjesëmarrësit diskutuan për përgatitjet për zgjedhjet vendore dhe për rolin e medias gjatë fushatës zgjedhore.",
                "Zgjedhje të lira dhe të ndershme nuk janë të mundshme pa një administratë zgjedhore të pavarur.",
            ],
        },
        // The environment.
        Theme {
            topics: &[
                ["mbrojtja e mjedisit", "mbrojtjen e mjedisit"],
                ["menaxhimi i ujërave", "menaxhimin e ujërave"],
            ],
            sentences: &[
                "Qendrat Aarhus i informojnë qytetarët për vendimet mjedisore dhe për të drejtën e tyre për të marrë pjesë në to.",
                "Ekspertët diskutuan për ndryshimet klimatike, menaxhimin e ujërave dhe zvogëlimin e rrezikut nga fatkeqësitë.",
                "Mbetjet e rrezikshme përbëjnë kërcënim për shëndetin e njerëzve dhe për sigurinë.",
            ],
        },
        // Gender equality.
        Theme {
            topics: &[
                ["barazia gjinore", "barazinë gjinore"],
                ["pjesëmarrja e grave", "pjesëmarrjen e grave"],
            ],
            sentences: &[
                "Gratë mbeten ende të nënpërfaqësuara në postet drejtuese në sektorin e sigurisë.",
                "Pjesëmarrësit diskutuan mënyrat për parandalimin dhe luftimin e dhunës ndaj grave.",
                "Barazia gjinore është pjesë thelbësore e sigurisë gjithëpërfshirëse.",
            ],
        },
        // Human rights.
        Theme {
            topics: &[
                ["të drejtat e njeriut", "të drejtat e njeriut"],
                ["liria e tubimit", "lirinë e tubimit"],
            ],
            sentences: &[
                "Mbrojtësit e të drejtave të njeriut duhet të mund të punojnë pa frikë nga hakmarrja.",
                "Trajnimi trajtoi lirinë e tubimit paqësor dhe parandalimin e torturës.",
                "Respektimi i të drejtave të njeriut dhe i lirive themelore është në thelb të angazhimeve të OSBE-së.",
            ],
        },
        // Media freedom.
        Theme {
            topics: &[
                ["liria e medias", "lirinë e medias"],
                ["siguria e gazetarëve", "sigurinë e gazetarëve"],
            ],
            sentences: &[
                "Gazetarët duhet të mund ta kryejnë punën e tyre në mënyrë të sigurt dhe pa ndërhyrje.",
                "Seminari iu kushtua pluralizmit të medias, qasjes në informacion dhe luftës kundër dezinformimit.",
                "Përfaqësuesi i OSBE-së për lirinë e medias dënoi sulmin ndaj një gazetari.",
            ],
        },
        // National minorities, Roma and Sinti, tolerance.
        Theme {
            topics: &[
                [
                    "të drejtat e pakicave kombëtare",
                    "të drejtat e pakicave kombëtare",
                ],
                [
                    "toleranca dhe mosdiskriminimi",
                    "tolerancën dhe mosdiskriminimin",
                ],
            ],
            sentences: &[
                "Pakicat kombëtare duhet të mund t'i përdorin gjuhët e tyre në arsim dhe në jetën publike.",
                "Pjesëmarrësit diskutuan për përfshirjen e romëve dhe sintëve dhe për qasjen e tyre në arsim.",
                "Krimet e urrejtjes dhe gjuha e urrejtjes kërcënojnë kohezionin e shoqërisë.",
            ],
        },
        // Policing.
        Theme {
            topics: &[
                ["policimi në komunitet", "policimin në komunitet"],
                ["reforma e policisë", "reformën e policisë"],
            ],
            sentences: &[
                "Punonjësit e policisë u trajnuan për policimin në komunitet dhe respektimin e të drejtave të njeriut.",
                "Reforma e policisë synon ta bëjë policinë më llogaridhënëse ndaj qytetarëve.",
                "Hetuesit shkëmbyen përvoja në luftën kundër krimit të organizuar dhe trafikut të drogës.",
            ],
        },
        // Terrorism, cyber security.
        Theme {
            topics: &[
                ["lufta kundër terrorizmit", "luftën kundër terrorizmit"],
                ["siguria kibernetike", "sigurinë kibernetike"],
            ],
            sentences: &[
                "Pjesëmarrësit diskutuan se si të parandalohen ekstremizmi i dhunshëm dhe radikalizimi që çojnë në terrorizëm.",
                "Masat për ndërtimin e besimit zvogëlojnë rrezikun e konflikteve që lindin nga përdorimi i teknologjive të informacionit dhe komunikimit.",
                "Ekspertët praktikuan reagimin ndaj një sulmi kibernetik kundër infrastrukturës kritike.",
            ],
        },
        // Trafficking in human beings.
        Theme {
            topics: &[
                [
                    "lufta kundër trafikimit të qenieve njerëzore",
                    "luftën kundër trafikimit të qenieve njerëzore",
                ],
                [
                    "mbrojtja e viktimave të trafikimit",
                    "mbrojtjen e viktimave të trafikimit",
                ],
            ],
            sentences: &[
                "Viktimat e trafikimit të qenieve njerëzore kanë nevojë për mbrojtje dhe mbështetje, jo për ndëshkim.",
                "Gjatë një ushtrimi simulues, pjesëmarrësit praktikuan identifikimin e viktimave të shfrytëzimit në punë.",
                "Prokurorët dhe punonjësit socialë shkëmbyen përvoja për hetimin e rasteve të trafikimit.",
            ],
        },
        // Education, youth.
        Theme {
            topics: &[
                ["pjesëmarrja e të rinjve", "pjesëmarrjen e të rinjve"],
                ["arsimi", "arsimin"],
            ],
            sentences: &[
                "Të rinj nga i gjithë rajoni diskutuan për rolin e tyre në ndërtimin e paqes.",
                "OSBE i mbështet shkollat në mësimin e tolerancës dhe të respektit të ndërsjellë.",
                "Studentët morën pjesë në një debat për sigurinë dhe bashkëpunimin në Evropë.",
            ],
        },
    ],
    months: [
        "janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator",
        "tetor", "nëntor", "dhjetor",
    ],
    places: [
        ("Vjenë", "në Vjenë"),
        ("Ashgabat", "në Ashgabat"),
        ("Sarajevë", "në Sarajevë"),
        ("Zagreb", "në Zagreb"),
        ("Tbilisi", "në Tbilisi"),
        ("Kishinau", "në Kishinau"),
        ("Podgoricë", "në Podgoricë"),
        ("Beograd", "në Beograd"),
        ("Shkup", "në Shkup"),
        ("Moskë", "në Moskë"),
        ("Minsk", "në Minsk"),
        ("Jerevan", "në Jerevan"),
        ("Tiranë", "në Tiranë"),
        ("Astana", "në Astana"),
        ("Bishkek", "në Bishkek"),
        ("Dushanbe", "në Dushanbe"),
        ("Kiev", "në Kiev"),
        ("Tashkent", "në Tashkent"),
    ],
    preposition: "në",
    first_day: "1",
    day_suffix: "",
    year_suffix: "",
};
