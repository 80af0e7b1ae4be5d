use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

/// Append-only: never edit a released migration, add a new one.
const MIGRATIONS: &[&str] = &[include_str!("migrations/001_sessions.sql")];

pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

pub(crate) fn migrate(conn: &mut Connection) -> Result<(), rusqlite_migration::Error> {
    migrations().to_latest(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }
}
