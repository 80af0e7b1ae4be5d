use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

/// Append-only: never edit a released migration, add a new one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_sessions.sql"),
    include_str!("migrations/002_study.sql"),
    include_str!("migrations/003_study_gaps.sql"),
    include_str!("migrations/004_board.sql"),
    include_str!("migrations/005_review.sql"),
    include_str!("migrations/006_marks.sql"),
    include_str!("migrations/007_session_stats.sql"),
    include_str!("migrations/008_tradeoffs.sql"),
    include_str!("migrations/009_segment_words.sql"),
    include_str!("migrations/010_score_checks.sql"),
];

pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    migrations().to_latest(conn)
}

/// Brings a connection to exactly `version` (for tests that start from an old schema).
#[doc(hidden)]
pub fn migrate_to_version(
    conn: &mut Connection,
    version: usize,
) -> Result<(), rusqlite_migration::Error> {
    migrations().to_version(conn, version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }
}
