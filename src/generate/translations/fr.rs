//! French. Topics: `{t0}` with its article (after « sur »), `{t1}` after
//! « de », contracted (« de la », « du », « des », « de l' »); places after
//! « à ».

use super::{Bank, Theme};

pub(super) const BANK: Bank = Bank {
    tag: "fr",
    titles: &[
        "L'OSCE organise un séminaire sur {t0} {in}",
        "{t0} au cœur d'une conférence de l'OSCE {in}",
        "L'OSCE soutient les efforts nationaux dans le domaine {t1}",
        "Des experts débattent {t1} lors d'une réunion de l'OSCE {in}",
        "Formation de l'OSCE sur {t0} {in}",
        "L'OSCE présente un rapport sur {t0}",
        "Table ronde de l'OSCE sur {t0} {in}",
        "Un nouveau projet de l'OSCE en faveur {t1}",
        "Autorités et société civile échangent sur les enjeux {t1} {in}",
    ],
    frames: &[
        "Les participants ont examiné les questions d'actualité dans le domaine {t1}.",
        "Une attention particulière a été accordée aux enjeux {t1}.",
        "L'OSCE continuera de soutenir les efforts nationaux dans le domaine {t1}.",
        "La question {t1} demeure l'une des priorités des activités de l'OSCE dans la région.",
    ],
    general: &[
        "L'événement a été organisé en coopération avec les autorités du pays hôte.",
        "L'activité s'inscrit dans le cadre d'un projet extrabudgétaire financé par plusieurs États participants.",
        "Les participants se sont accordés sur une série de recommandations qui seront présentées aux autorités.",
        "L'OSCE continuera de soutenir la mise en œuvre de ces engagements.",
        "D'autres activités sont prévues dans les prochains mois.",
        "Plus de 40 représentants des institutions de l'État et de la société civile ont participé à l'événement.",
    ],
    themes: [
        // Arms control, the security sector.
        Theme {
            topics: &[
                ["la maîtrise des armements", "de la maîtrise des armements"],
                [
                    "la réforme du secteur de la sécurité",
                    "de la réforme du secteur de la sécurité",
                ],
            ],
            sentences: &[
                "Les experts ont examiné le stockage sécurisé et la destruction des surplus d'armes légères et de munitions.",
                "Le Document de Vienne reste un instrument essentiel de la transparence militaire et du renforcement de la confiance.",
                "Les parlementaires ont débattu du contrôle démocratique des forces armées et des services de sécurité.",
            ],
        },
        // Borders, migration.
        Theme {
            topics: &[
                ["la gestion des frontières", "de la gestion des frontières"],
                [
                    "la gouvernance des migrations",
                    "de la gouvernance des migrations",
                ],
            ],
            sentences: &[
                "Des gardes-frontières et des douaniers ont pratiqué des patrouilles conjointes et l'analyse des risques aux points de passage frontaliers.",
                "L'OSCE aide à garder les frontières ouvertes au commerce et aux voyages tout en les rendant plus sûres.",
                "Les participants ont abordé les droits des migrants ainsi que le retour et la réintégration des personnes déplacées.",
            ],
        },
        // Conflict prevention.
        Theme {
            topics: &[
                [
                    "la prévention des conflits",
                    "de la prévention des conflits",
                ],
                [
                    "la surveillance du cessez-le-feu",
                    "de la surveillance du cessez-le-feu",
                ],
            ],
            sentences: &[
                "Les observateurs ont consigné les violations du cessez-le-feu et les ont signalées à toutes les parties.",
                "Les médiateurs ont rencontré les parties afin de convenir de mesures de confiance et de l'accès humanitaire.",
                "L'alerte précoce permet d'empêcher que les tensions ne dégénèrent en conflit ouvert.",
            ],
        },
        // Democratization, the rule of law.
        Theme {
            topics: &[
                ["l'État de droit", "de l'État de droit"],
                [
                    "les institutions démocratiques",
                    "des institutions démocratiques",
                ],
            ],
            sentences: &[
                "Des juges et des procureurs ont débattu de l'indépendance de la justice et des normes du procès équitable.",
                "L'OSCE aide les parlements à rendre le processus législatif plus ouvert et plus inclusif.",
                "Des représentants des collectivités locales ont appris à associer les citoyens à la prise de décision.",
            ],
        },
        // Economic activities, good governance.
        Theme {
            topics: &[
                ["la bonne gouvernance", "de la bonne gouvernance"],
                ["la coopération économique", "de la coopération économique"],
            ],
            sentences: &[
                "Des responsables ont examiné les mesures de lutte contre la corruption et le blanchiment d'argent.",
                "Des marchés publics transparents renforcent la confiance dans les institutions de l'État.",
                "De meilleures liaisons de transport favorisent le développement économique dans toute la région.",
            ],
        },
        // Elections.
        Theme {
            topics: &[
                ["les élections", "des élections"],
                ["l'observation électorale", "de l'observation électorale"],
            ],
            sentences: &[
                "Les observateurs ont suivi l'ouverture des bureaux de vote, le scrutin et le dépouillement.",
                "Le rapport final sur les élections contient des recommandations visant à améliorer la législation électorale.",
                "Les membres des commissions électorales ont été formés à l'inscription des électeurs et aux procédures du jour de l'élection.",
                "La mission d'observation électorale évaluera dans quelle mesure l'élection respecte les engagements de l'OSCE et les normes internationales.",
                "Les participants ont débattu de la préparation des élections locales et du rôle des médias pendant la campagne électorale.",
                "Une élection libre et équitable suppose une administration électorale indépendante.",
            ],
        },
        // The environment.
        Theme {
            topics: &[
                [
                    "la protection de l'environnement",
                    "de la protection de l'environnement",
                ],
                ["la gestion de l'eau", "de la gestion de l'eau"],
            ],
            sentences: &[
                "Les centres Aarhus informent les citoyens sur les décisions environnementales et sur leur droit d'y participer.",
                "Les experts ont débattu du changement climatique, de la gestion de l'eau et de la réduction des risques de catastrophe.",
                "Les déchets dangereux menacent la santé humaine et la sécurité.",
            ],
        },
        // Gender equality.
        Theme {
            topics: &[
                [
                    "l'égalité entre les femmes et les hommes",
                    "de l'égalité entre les femmes et les hommes",
                ],
                [
                    "la participation des femmes",
                    "de la participation des femmes",
                ],
            ],
            sentences: &[
                "Les femmes restent sous-représentées aux postes de direction dans le secteur de la sécurité.",
                "Les participants ont examiné les moyens de prévenir et de combattre la violence à l'égard des femmes.",
                "L'égalité entre les femmes et les hommes fait partie intégrante de la sécurité globale.",
            ],
        },
        // Human rights.
        Theme {
            topics: &[
                ["les droits de l'homme", "des droits de l'homme"],
                ["la liberté de réunion", "de la liberté de réunion"],
            ],
            sentences: &[
                "Les défenseurs des droits de l'homme doivent pouvoir travailler sans crainte de représailles.",
                "La formation portait sur la liberté de réunion pacifique et la prévention de la torture.",
                "Le respect des droits de l'homme et des libertés fondamentales est au cœur des engagements de l'OSCE.",
            ],
        },
        // Media freedom.
        Theme {
            topics: &[
                ["la liberté des médias", "de la liberté des médias"],
                [
                    "la sécurité des journalistes",
                    "de la sécurité des journalistes",
                ],
            ],
            sentences: &[
                "Les journalistes doivent pouvoir exercer leur métier en toute sécurité et sans ingérence.",
                "Le séminaire était consacré au pluralisme des médias, à l'accès à l'information et à la lutte contre la désinformation.",
                "Le Représentant de l'OSCE pour la liberté des médias a condamné l'agression d'un journaliste.",
            ],
        },
        // National minorities, Roma and Sinti, tolerance.
        Theme {
            topics: &[
                [
                    "les droits des minorités nationales",
                    "des droits des minorités nationales",
                ],
                [
                    "la tolérance et la non-discrimination",
                    "de la tolérance et de la non-discrimination",
                ],
            ],
            sentences: &[
                "Les minorités nationales doivent pouvoir utiliser leur langue dans l'enseignement et la vie publique.",
                "Les participants ont examiné l'inclusion des Roms et des Sintis et leur accès à l'éducation.",
                "Les crimes de haine et les discours de haine menacent la cohésion de la société.",
            ],
        },
        // Policing.
        Theme {
            topics: &[
                ["la police de proximité", "de la police de proximité"],
                ["la réforme de la police", "de la réforme de la police"],
            ],
            sentences: &[
                "Des policiers ont été formés à la police de proximité et au respect des droits de l'homme.",
                "La réforme de la police vise à rendre celle-ci plus responsable devant les citoyens.",
                "Des enquêteurs ont échangé leur expérience de la lutte contre la criminalité organisée et le trafic de drogue.",
            ],
        },
        // Terrorism, cyber security.
        Theme {
            topics: &[
                [
                    "la lutte contre le terrorisme",
                    "de la lutte contre le terrorisme",
                ],
                ["la cybersécurité", "de la cybersécurité"],
            ],
            sentences: &[
                "Les participants ont examiné comment prévenir l'extrémisme violent et la radicalisation menant au terrorisme.",
                "Les mesures de confiance réduisent les risques de conflit liés à l'utilisation des technologies de l'information et de la communication.",
                "Des experts se sont exercés à réagir à une cyberattaque contre des infrastructures critiques.",
            ],
        },
        // Trafficking in human beings.
        Theme {
            topics: &[
                [
                    "la lutte contre la traite des êtres humains",
                    "de la lutte contre la traite des êtres humains",
                ],
                [
                    "la protection des victimes de la traite",
                    "de la protection des victimes de la traite",
                ],
            ],
            sentences: &[
                "Les victimes de la traite des êtres humains ont besoin de protection et de soutien, et non de sanctions.",
                "Lors d'un exercice de simulation, les participants se sont entraînés à identifier les victimes d'exploitation par le travail.",
                "Des procureurs et des travailleurs sociaux ont échangé leur expérience des enquêtes sur les affaires de traite.",
            ],
        },
        // Education, youth.
        Theme {
            topics: &[
                [
                    "la participation des jeunes",
                    "de la participation des jeunes",
                ],
                ["l'éducation", "de l'éducation"],
            ],
            sentences: &[
                "Des jeunes de toute la région ont débattu de leur rôle dans la consolidation de la paix.",
                "L'OSCE aide les écoles à enseigner la tolérance et le respect mutuel.",
                "Des étudiants ont participé à un débat sur la sécurité et la coopération en Europe.",
            ],
        },
    ],
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    places: [
        ("Vienne", "à Vienne"),
        ("Achgabat", "à Achgabat"),
        ("Sarajevo", "à Sarajevo"),
        ("Zagreb", "à Zagreb"),
        ("Tbilissi", "à Tbilissi"),
        ("Chisinau", "à Chisinau"),
        ("Podgorica", "à Podgorica"),
        ("Belgrade", "à Belgrade"),
        ("Skopje", "à Skopje"),
        ("Moscou", "à Moscou"),
        ("Minsk", "à Minsk"),
        ("Erevan", "à Erevan"),
        ("Tirana", "à Tirana"),
        ("Astana", "à Astana"),
        ("Bichkek", "à Bichkek"),
        ("Douchanbé", "à Douchanbé"),
        ("Kyiv", "à Kyiv"),
        ("Tachkent", "à Tachkent"),
    ],
    preposition: "à",
    first_day: "1er",
    day_suffix: "",
    year_suffix: "",
};
