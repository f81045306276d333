//! Closed vocabularies of the content model. Stored as their snake/kebab-case
//! names (the interchange format's spelling), so the database stays readable.
//! In GraphQL they appear in SCREAMING_SNAKE_CASE (`MINISTERIAL_COUNCIL`).

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $case:literal { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, async_graphql::Enum)]
        #[serde(rename_all = $case)]
        pub enum $name { $(#[doc = concat!("`", $text, "` in the interchange format.")] $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(value: &str) -> Option<Self> {
                match value { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Whether a country is a participating State or a Partner for Co-operation.
    CountryStatus, "snake_case" {
        ParticipatingState = "participating_state",
        AsianPartner = "asian_partner",
        MediterraneanPartner = "mediterranean_partner",
    }
);

vocabulary!(
    /// What an organisational unit is.
    OrgUnitKind, "snake_case" {
        Chairpersonship = "chairpersonship",
        Secretariat = "secretariat",
        Department = "department",
        Institution = "institution",
        FieldOperation = "field_operation",
        ParliamentaryAssembly = "parliamentary_assembly",
        Court = "court",
        Group = "group",
        Other = "other",
    }
);

vocabulary!(
    /// The series a meeting or conference belongs to.
    MeetingKind, "kebab-case" {
        Summit = "summit",
        ReviewConference = "review-conference",
        MinisterialCouncil = "ministerial-council",
        PermanentCouncil = "permanent-council",
        ForumForSecurityCoOperation = "forum-for-security-co-operation",
        SecurityReviewConference = "security-review-conference",
        AnnualImplementationAssessmentMeeting = "annual-implementation-assessment-meeting",
        EconomicAndEnvironmentalForum = "economic-and-environmental-forum",
        EconomicAndEnvironmentalDimensionImplementationMeeting = "economic-and-environmental-dimension-implementation-meeting",
        HumanRightsMeeting = "human-rights-meeting",
        MediaConference = "media-conference",
        CyberIctSecurityConference = "cyber-ict-security-conference",
        AllianceAgainstTraffickingConference = "alliance-against-trafficking-conference",
        GenderEqualityReviewConference = "gender-equality-review-conference",
        MediterraneanConference = "mediterranean-conference",
        AsianConference = "asian-conference",
        Other = "other",
    }
);

/// What a press release links to, in the interchange format's order (and
/// the order of the index's and the storage's lists of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReleaseRelation {
    FieldsOfWork = 0,
    Countries = 1,
    People = 2,
    Meetings = 3,
}

impl ReleaseRelation {
    /// Every relation, in order.
    pub const ALL: [ReleaseRelation; 4] = [
        ReleaseRelation::FieldsOfWork,
        ReleaseRelation::Countries,
        ReleaseRelation::People,
        ReleaseRelation::Meetings,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_spelling_matches_stored_spelling() {
        for kind in MeetingKind::ALL {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(MeetingKind::parse(kind.as_str()), Some(*kind));
        }
        for kind in OrgUnitKind::ALL {
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        for status in CountryStatus::ALL {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }
}
