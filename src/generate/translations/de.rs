//! German. Topics: `{t0}` nominative without an article (after „zum Thema“),
//! `{t1}` genitive with its article (after „im Bereich“); places after „in“.

use super::{Bank, Theme};

pub(super) const BANK: Bank = Bank {
    tag: "de",
    titles: &[
        "OSZE veranstaltet Seminar zum Thema {t0} {in}",
        "{t0} im Mittelpunkt einer OSZE-Konferenz {in}",
        "OSZE unterstützt nationale Bemühungen im Bereich {t1}",
        "Fachleute erörtern Fragen {t1} bei OSZE-Treffen {in}",
        "OSZE-Schulung zum Thema {t0} {in}",
        "OSZE legt Bericht zur Lage im Bereich {t1} vor",
        "Runder Tisch der OSZE zum Thema {t0} {in}",
        "Neues OSZE-Projekt im Bereich {t1}",
        "Behörden und Zivilgesellschaft beraten {in} über Fragen {t1}",
    ],
    frames: &[
        "Die Teilnehmenden erörterten aktuelle Fragen {t1}.",
        "Besondere Aufmerksamkeit galt dem Thema {t0}.",
        "Die OSZE wird die nationalen Bemühungen im Bereich {t1} weiter unterstützen.",
        "Das Thema {t0} bleibt eine Priorität der Arbeit der OSZE in der Region.",
    ],
    general: &[
        "Die Veranstaltung wurde in Zusammenarbeit mit den Behörden des Gastlandes organisiert.",
        "Die Aktivität ist Teil eines außerbudgetären Projekts, das von mehreren Teilnehmerstaaten finanziert wird.",
        "Die Teilnehmenden einigten sich auf eine Reihe von Empfehlungen, die den Behörden vorgelegt werden.",
        "Die OSZE wird die Umsetzung dieser Verpflichtungen weiter unterstützen.",
        "Weitere Aktivitäten sind für die kommenden Monate geplant.",
        "Mehr als 40 Vertreterinnen und Vertreter staatlicher Institutionen und der Zivilgesellschaft nahmen an der Veranstaltung teil.",
    ],
    themes: [
        // Arms control, the security sector.
        Theme {
            topics: &[
                ["Rüstungskontrolle", "der Rüstungskontrolle"],
                ["Sicherheitssektorreform", "der Sicherheitssektorreform"],
            ],
            sentences: &[
                "Fachleute befassten sich mit der sicheren Lagerung und Vernichtung überschüssiger Kleinwaffen und Munition.",
                "Das Wiener Dokument bleibt ein zentrales Instrument für militärische Transparenz und Vertrauensbildung.",
                "Abgeordnete erörterten die demokratische Kontrolle der Streitkräfte und Sicherheitsdienste.",
            ],
        },
        // Borders, migration.
        Theme {
            topics: &[
                ["Grenzmanagement", "des Grenzmanagements"],
                ["Migrationssteuerung", "der Migrationssteuerung"],
            ],
            sentences: &[
                "Grenzschutz- und Zollbeamte übten gemeinsame Streifen und Risikoanalysen an Grenzübergängen.",
                "Die OSZE hilft, Grenzen für Handel und Reisen offen zu halten und sie zugleich sicherer zu machen.",
                "Die Teilnehmenden sprachen über die Rechte von Migrantinnen und Migranten sowie über die Rückkehr und Wiedereingliederung Vertriebener.",
            ],
        },
        // Conflict prevention.
        Theme {
            topics: &[
                ["Konfliktverhütung", "der Konfliktverhütung"],
                [
                    "Überwachung der Waffenruhe",
                    "der Überwachung der Waffenruhe",
                ],
            ],
            sentences: &[
                "Die Beobachter verzeichneten Verstöße gegen die Waffenruhe und meldeten sie allen Seiten.",
                "Die Vermittler trafen die Konfliktparteien, um vertrauensbildende Maßnahmen und humanitären Zugang zu vereinbaren.",
                "Frühwarnung hilft zu verhindern, dass Spannungen in einen offenen Konflikt umschlagen.",
            ],
        },
        // Democratization, the rule of law.
        Theme {
            topics: &[
                ["Rechtsstaatlichkeit", "der Rechtsstaatlichkeit"],
                [
                    "demokratische Institutionen",
                    "der demokratischen Institutionen",
                ],
            ],
            sentences: &[
                "Richterinnen, Richter und Staatsanwälte erörterten die Unabhängigkeit der Justiz und die Standards eines fairen Verfahrens.",
                "Die OSZE unterstützt Parlamente dabei, die Gesetzgebung offener und inklusiver zu gestalten.",
                "Vertreterinnen und Vertreter der Kommunen lernten, wie sie Bürgerinnen und Bürger in Entscheidungen einbeziehen können.",
            ],
        },
        // Economic activities, good governance.
        Theme {
            topics: &[
                ["gute Regierungsführung", "der guten Regierungsführung"],
                [
                    "wirtschaftliche Zusammenarbeit",
                    "der wirtschaftlichen Zusammenarbeit",
                ],
            ],
            sentences: &[
                "Beamte erörterten Maßnahmen gegen Korruption und Geldwäsche.",
                "Transparente öffentliche Beschaffung stärkt das Vertrauen in staatliche Institutionen.",
                "Bessere Verkehrsverbindungen fördern die wirtschaftliche Entwicklung in der gesamten Region.",
            ],
        },
        // Elections.
        Theme {
            topics: &[
                ["Wahlen", "der Wahlen"],
                ["Wahlbeobachtung", "der Wahlbeobachtung"],
            ],
            sentences: &[
                "Die Beobachter verfolgten die Öffnung der Wahllokale, die Stimmabgabe und die Auszählung der Stimmen.",
                "Der Abschlussbericht zu den Wahlen enthält Empfehlungen zur Verbesserung des Wahlrechts.",
                "Mitglieder der Wahlkommissionen wurden in der Wählerregistrierung und den Verfahren am Wahltag geschult.",
                "Die Wahlbeobachtungsmission wird beurteilen, ob die Wahl den OSZE-Verpflichtungen und internationalen Standards entspricht.",
                "Die Teilnehmenden erörterten die Vorbereitung der Kommunalwahlen und die Rolle der Medien im Wahlkampf.",
                "Eine freie und faire Wahl setzt eine unabhängige Wahlverwaltung voraus.",
            ],
        },
        // The environment.
        Theme {
            topics: &[
                ["Umweltschutz", "des Umweltschutzes"],
                ["Wasserwirtschaft", "der Wasserwirtschaft"],
            ],
            sentences: &[
                "Die Aarhus-Zentren informieren die Bürgerinnen und Bürger über Umweltentscheidungen und ihr Recht, daran mitzuwirken.",
                "Fachleute erörterten den Klimawandel, die Wasserwirtschaft und die Katastrophenvorsorge.",
                "Gefährliche Abfälle bedrohen die Gesundheit der Menschen und die Sicherheit.",
            ],
        },
        // Gender equality.
        Theme {
            topics: &[
                [
                    "Gleichstellung der Geschlechter",
                    "der Gleichstellung der Geschlechter",
                ],
                ["Teilhabe von Frauen", "der Teilhabe von Frauen"],
            ],
            sentences: &[
                "Frauen sind in Führungspositionen des Sicherheitssektors nach wie vor unterrepräsentiert.",
                "Die Teilnehmenden erörterten Wege, Gewalt gegen Frauen zu verhindern und zu bekämpfen.",
                "Die Gleichstellung der Geschlechter ist ein wesentlicher Bestandteil umfassender Sicherheit.",
            ],
        },
        // Human rights.
        Theme {
            topics: &[
                ["Menschenrechte", "der Menschenrechte"],
                ["Versammlungsfreiheit", "der Versammlungsfreiheit"],
            ],
            sentences: &[
                "Menschenrechtsverteidiger müssen ohne Angst vor Repressalien arbeiten können.",
                "Die Schulung befasste sich mit der Freiheit der friedlichen Versammlung und der Verhütung von Folter.",
                "Die Achtung der Menschenrechte und Grundfreiheiten steht im Mittelpunkt der OSZE-Verpflichtungen.",
            ],
        },
        // Media freedom.
        Theme {
            topics: &[
                ["Medienfreiheit", "der Medienfreiheit"],
                [
                    "Sicherheit von Journalisten",
                    "der Sicherheit von Journalisten",
                ],
            ],
            sentences: &[
                "Journalistinnen und Journalisten müssen ihre Arbeit sicher und ohne Einmischung ausüben können.",
                "Das Seminar war der Medienvielfalt, dem Zugang zu Informationen und der Bekämpfung von Desinformation gewidmet.",
                "Der OSZE-Beauftragte für Medienfreiheit verurteilte den Angriff auf einen Journalisten.",
            ],
        },
        // National minorities, Roma and Sinti, tolerance.
        Theme {
            topics: &[
                [
                    "Rechte nationaler Minderheiten",
                    "der Rechte nationaler Minderheiten",
                ],
                [
                    "Toleranz und Nichtdiskriminierung",
                    "der Toleranz und Nichtdiskriminierung",
                ],
            ],
            sentences: &[
                "Nationale Minderheiten sollen ihre Sprachen in Bildung und öffentlichem Leben verwenden können.",
                "Die Teilnehmenden erörterten die Inklusion von Roma und Sinti und ihren Zugang zu Bildung.",
                "Hasskriminalität und Hassrede gefährden den Zusammenhalt der Gesellschaft.",
            ],
        },
        // Policing.
        Theme {
            topics: &[
                ["bürgernahe Polizeiarbeit", "der bürgernahen Polizeiarbeit"],
                ["Polizeireform", "der Polizeireform"],
            ],
            sentences: &[
                "Polizeibeamte wurden in bürgernaher Polizeiarbeit und in der Achtung der Menschenrechte geschult.",
                "Die Polizeireform soll die Polizei gegenüber den Bürgerinnen und Bürgern rechenschaftspflichtiger machen.",
                "Ermittler tauschten Erfahrungen bei der Bekämpfung der organisierten Kriminalität und des Drogenhandels aus.",
            ],
        },
        // Terrorism, cyber security.
        Theme {
            topics: &[
                ["Terrorismusbekämpfung", "der Terrorismusbekämpfung"],
                ["Cybersicherheit", "der Cybersicherheit"],
            ],
            sentences: &[
                "Die Teilnehmenden erörterten, wie gewalttätiger Extremismus und Radikalisierung, die zu Terrorismus führen, verhindert werden können.",
                "Vertrauensbildende Maßnahmen verringern das Konfliktrisiko, das von der Nutzung von Informations- und Kommunikationstechnologien ausgeht.",
                "Fachleute übten die Reaktion auf einen Cyberangriff auf kritische Infrastruktur.",
            ],
        },
        // Trafficking in human beings.
        Theme {
            topics: &[
                [
                    "Bekämpfung des Menschenhandels",
                    "der Bekämpfung des Menschenhandels",
                ],
                ["Opferschutz", "des Opferschutzes"],
            ],
            sentences: &[
                "Opfer von Menschenhandel brauchen Schutz und Unterstützung, keine Strafe.",
                "In einer Simulationsübung übten die Teilnehmenden, Opfer von Arbeitsausbeutung zu erkennen.",
                "Staatsanwälte und Sozialarbeiter tauschten Erfahrungen bei Ermittlungen in Fällen von Menschenhandel aus.",
            ],
        },
        // Education, youth.
        Theme {
            topics: &[
                ["Jugendbeteiligung", "der Jugendbeteiligung"],
                ["Bildung", "der Bildung"],
            ],
            sentences: &[
                "Junge Menschen aus der ganzen Region erörterten ihre Rolle bei der Friedensförderung.",
                "Die OSZE unterstützt Schulen dabei, Toleranz und gegenseitigen Respekt zu vermitteln.",
                "Studierende nahmen an einer Debatte über Sicherheit und Zusammenarbeit in Europa teil.",
            ],
        },
    ],
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    places: [
        ("Wien", "in Wien"),
        ("Aschgabat", "in Aschgabat"),
        ("Sarajevo", "in Sarajevo"),
        ("Zagreb", "in Zagreb"),
        ("Tiflis", "in Tiflis"),
        ("Chișinău", "in Chișinău"),
        ("Podgorica", "in Podgorica"),
        ("Belgrad", "in Belgrad"),
        ("Skopje", "in Skopje"),
        ("Moskau", "in Moskau"),
        ("Minsk", "in Minsk"),
        ("Jerewan", "in Jerewan"),
        ("Tirana", "in Tirana"),
        ("Astana", "in Astana"),
        ("Bischkek", "in Bischkek"),
        ("Duschanbe", "in Duschanbe"),
        ("Kyjiw", "in Kyjiw"),
        ("Taschkent", "in Taschkent"),
    ],
    preposition: "in",
    first_day: "1",
    day_suffix: ".",
    year_suffix: "",
};
