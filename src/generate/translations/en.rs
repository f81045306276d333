//! English, for releases first published in another language. Topics have
//! one form (`{t0}` = `{t1}`).

use super::{Bank, Theme};

pub(super) const BANK: Bank = Bank {
    tag: "en",
    titles: &[
        "OSCE holds seminar on {t0} {in}",
        "{t0} in focus at OSCE conference {in}",
        "OSCE supports national efforts in the field of {t0}",
        "Experts discuss {t0} at OSCE meeting {in}",
        "OSCE training course on {t0} held {in}",
        "OSCE presents report on {t0}",
        "OSCE organizes round table on {t0} {in}",
        "New OSCE project on {t0}",
        "Authorities and civil society discuss {t0} {in}",
    ],
    frames: &[
        "Participants discussed current issues related to {t0}.",
        "Particular attention was paid to {t1}.",
        "The OSCE will continue to support national efforts in the field of {t1}.",
        "Work on {t1} remains one of the OSCE's priorities in the region.",
    ],
    general: &[
        "The event was organized in co-operation with the host country authorities.",
        "The activity is part of an extra-budgetary project funded by several participating States.",
        "Participants agreed on a set of recommendations to be presented to the authorities.",
        "The OSCE will continue to support the implementation of these commitments.",
        "Further activities are planned for the coming months.",
        "More than 40 representatives of state institutions and civil society took part in the event.",
    ],
    themes: [
        Theme {
            topics: &[
                ["arms control", "arms control"],
                ["security sector reform", "security sector reform"],
            ],
            sentences: &[
                "Experts reviewed the safe storage and destruction of surplus small arms and ammunition.",
                "The Vienna Document remains a key instrument of military transparency and confidence-building.",
                "Parliamentarians discussed democratic oversight of the armed forces and security services.",
            ],
        },
        Theme {
            topics: &[
                ["border management", "border management"],
                ["migration governance", "migration governance"],
            ],
            sentences: &[
                "Border guards and customs officers practised joint patrols and risk analysis at border crossing points.",
                "The OSCE helps to keep borders open for trade and travel while making them more secure.",
                "Participants discussed the rights of migrants and the return and reintegration of displaced persons.",
            ],
        },
        Theme {
            topics: &[
                ["conflict prevention", "conflict prevention"],
                ["ceasefire monitoring", "ceasefire monitoring"],
            ],
            sentences: &[
                "Monitors recorded violations of the ceasefire and reported them to all sides.",
                "Mediators met the parties to agree on confidence-building measures and humanitarian access.",
                "Early warning helps to prevent tensions from turning into open conflict.",
            ],
        },
        Theme {
            topics: &[
                ["the rule of law", "the rule of law"],
                ["democratic institutions", "democratic institutions"],
            ],
            sentences: &[
                "Judges and prosecutors discussed the independence of the judiciary and fair trial standards.",
                "The OSCE helps parliaments to make law-making more open and inclusive.",
                "Representatives of local governments learned how to involve citizens in decision-making.",
            ],
        },
        Theme {
            topics: &[
                ["good governance", "good governance"],
                ["economic co-operation", "economic co-operation"],
            ],
            sentences: &[
                "Officials discussed measures against corruption and money laundering.",
                "Transparent public procurement strengthens trust in state institutions.",
                "Better transport links support economic development throughout the region.",
            ],
        },
        Theme {
            topics: &[
                ["elections", "elections"],
                ["election observation", "election observation"],
            ],
            sentences: &[
                "Observers followed the opening of polling stations, the voting and the counting of ballots.",
                "The final report on the elections contains recommendations to improve the electoral legislation.",
                "Members of election commissions were trained in voter registration and election day procedures.",
                "The election observation mission will assess whether the election meets OSCE commitments and international standards.",
                "Participants discussed preparations for the local elections and the role of the media during the campaign.",
            ],
        },
        Theme {
            topics: &[
                ["environmental protection", "environmental protection"],
                ["water management", "water management"],
            ],
            sentences: &[
                "The Aarhus Centres inform citizens about environmental decisions and their right to take part in them.",
                "Experts discussed climate change, water management and disaster risk reduction.",
                "Hazardous waste poses a threat to human health and security.",
            ],
        },
        Theme {
            topics: &[
                ["gender equality", "gender equality"],
                ["women's participation", "women's participation"],
            ],
            sentences: &[
                "Women remain under-represented in leadership positions in the security sector.",
                "Participants discussed ways to prevent and combat violence against women.",
                "Gender equality is an essential part of comprehensive security.",
            ],
        },
        Theme {
            topics: &[
                ["human rights", "human rights"],
                ["freedom of assembly", "freedom of assembly"],
            ],
            sentences: &[
                "Human rights defenders must be able to work without fear of reprisals.",
                "The training covered freedom of peaceful assembly and the prevention of torture.",
                "Respect for human rights and fundamental freedoms is at the core of OSCE commitments.",
            ],
        },
        Theme {
            topics: &[
                ["media freedom", "media freedom"],
                ["the safety of journalists", "the safety of journalists"],
            ],
            sentences: &[
                "Journalists must be able to do their work safely and without interference.",
                "The seminar was devoted to media pluralism, access to information and countering disinformation.",
                "The OSCE Representative on Freedom of the Media condemned the attack on a journalist.",
            ],
        },
        Theme {
            topics: &[
                [
                    "the rights of national minorities",
                    "the rights of national minorities",
                ],
                [
                    "tolerance and non-discrimination",
                    "tolerance and non-discrimination",
                ],
            ],
            sentences: &[
                "National minorities should be able to use their languages in education and public life.",
                "Participants discussed the inclusion of Roma and Sinti and their access to education.",
                "Hate crimes and hate speech threaten the cohesion of society.",
            ],
        },
        Theme {
            topics: &[
                ["community policing", "community policing"],
                ["police reform", "police reform"],
            ],
            sentences: &[
                "Police officers were trained in community policing and respect for human rights.",
                "Police reform aims to make the police more accountable to citizens.",
                "Investigators exchanged experience in fighting organized crime and drug trafficking.",
            ],
        },
        Theme {
            topics: &[
                ["countering terrorism", "countering terrorism"],
                ["cyber security", "cyber security"],
            ],
            sentences: &[
                "Participants discussed how to prevent violent extremism and radicalization that lead to terrorism.",
                "Confidence-building measures reduce the risk of conflict stemming from the use of information and communication technologies.",
                "Experts practised the response to a cyber attack on critical infrastructure.",
            ],
        },
        Theme {
            topics: &[
                [
                    "combating trafficking in human beings",
                    "combating trafficking in human beings",
                ],
                [
                    "the protection of trafficking victims",
                    "the protection of trafficking victims",
                ],
            ],
            sentences: &[
                "Victims of trafficking in human beings need protection and support, not punishment.",
                "In a simulation exercise, participants practised identifying victims of labour exploitation.",
                "Prosecutors and social workers exchanged experience in investigating trafficking cases.",
            ],
        },
        Theme {
            topics: &[
                ["youth participation", "youth participation"],
                ["education", "education"],
            ],
            sentences: &[
                "Young people from across the region discussed their role in building peace.",
                "The OSCE helps schools to teach tolerance and mutual respect.",
                "Students took part in a debate on security and co-operation in Europe.",
            ],
        },
    ],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    places: [
        ("Vienna", "in Vienna"),
        ("Ashgabat", "in Ashgabat"),
        ("Sarajevo", "in Sarajevo"),
        ("Zagreb", "in Zagreb"),
        ("Tbilisi", "in Tbilisi"),
        ("Chisinau", "in Chisinau"),
        ("Podgorica", "in Podgorica"),
        ("Belgrade", "in Belgrade"),
        ("Skopje", "in Skopje"),
        ("Moscow", "in Moscow"),
        ("Minsk", "in Minsk"),
        ("Yerevan", "in Yerevan"),
        ("Tirana", "in Tirana"),
        ("Astana", "in Astana"),
        ("Bishkek", "in Bishkek"),
        ("Dushanbe", "in Dushanbe"),
        ("Kyiv", "in Kyiv"),
        ("Tashkent", "in Tashkent"),
    ],
    preposition: "in",
    first_day: "1",
    day_suffix: "",
    year_suffix: "",
};
