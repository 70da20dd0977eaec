"""The catalogue's SQLite schema, as numbered migrations.

Each migration runs once, in its own transaction, and is recorded in `schema_version`, so a
catalogue built by an older release is brought up to date when it is opened, and a newer one
is refused rather than misread. Add a migration to change the schema; never edit a released one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

# Re-exported: defined in catalogue.errors, light to import.
from catalogue.errors import SchemaError as SchemaError

if TYPE_CHECKING:  # sqlite-utils only for migrating: reading the version needs sqlite3 alone
    from sqlite_utils import Database


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "reference data, trusts and job descriptions",
        """
        CREATE TABLE catalogue_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE band (
            code TEXT PRIMARY KEY,
            ordinal INTEGER NOT NULL UNIQUE,
            je_min INTEGER NOT NULL,
            je_max INTEGER NOT NULL,
            closed INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE pay_point (
            band TEXT NOT NULL REFERENCES band(code),
            pay_year TEXT NOT NULL,
            point TEXT NOT NULL CHECK (point IN ('entry', 'intermediate', 'top')),
            salary INTEGER NOT NULL,
            confidence TEXT NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (band, pay_year, point)
        );
        CREATE TABLE je_factor (
            number INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            levels INTEGER NOT NULL
        );
        CREATE TABLE je_level (
            factor INTEGER NOT NULL REFERENCES je_factor(number),
            level INTEGER NOT NULL,
            points INTEGER NOT NULL,
            PRIMARY KEY (factor, level)
        );
        CREATE TABLE icb (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL
        );
        CREATE TABLE trust (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            icb TEXT NOT NULL REFERENCES icb(code),
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE staff_group (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE role (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            staff_group TEXT NOT NULL REFERENCES staff_group(id),
            band_min TEXT REFERENCES band(code),
            band_max TEXT REFERENCES band(code),
            career_level TEXT NOT NULL,
            registration TEXT NOT NULL,
            pay_system TEXT NOT NULL,
            national_profile TEXT NOT NULL DEFAULT '',
            band_confidence TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX role_staff_group ON role(staff_group);
        CREATE TABLE competency (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            pillar TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE role_competency (
            role TEXT NOT NULL REFERENCES role(id),
            competency TEXT NOT NULL REFERENCES competency(id),
            level INTEGER NOT NULL,
            PRIMARY KEY (role, competency)
        );
        CREATE INDEX role_competency_competency ON role_competency(competency);
        CREATE TABLE training_route (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            level INTEGER,
            months INTEGER,
            funding_cap INTEGER,
            standard_ref TEXT NOT NULL DEFAULT '',
            entry_requirements TEXT NOT NULL DEFAULT '',
            registration TEXT NOT NULL,
            status TEXT NOT NULL,
            status_note TEXT NOT NULL DEFAULT '',
            status_from TEXT NOT NULL DEFAULT '',
            unconfirmed TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL
        );
        CREATE TABLE route_competency (
            route TEXT NOT NULL REFERENCES training_route(id),
            competency TEXT NOT NULL REFERENCES competency(id),
            PRIMARY KEY (route, competency)
        );
        CREATE TABLE route_role (
            route TEXT NOT NULL REFERENCES training_route(id),
            role TEXT NOT NULL REFERENCES role(id),
            PRIMARY KEY (route, role)
        );
        CREATE INDEX route_role_role ON route_role(role);
        CREATE TABLE progression (
            from_role TEXT NOT NULL REFERENCES role(id),
            to_role TEXT NOT NULL REFERENCES role(id),
            kind TEXT NOT NULL CHECK (kind IN ('up', 'lateral')),
            months_in_post INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (from_role, to_role)
        );
        CREATE INDEX progression_to_role ON progression(to_role);
        CREATE TABLE progression_route (
            from_role TEXT NOT NULL,
            to_role TEXT NOT NULL,
            route TEXT NOT NULL REFERENCES training_route(id),
            PRIMARY KEY (from_role, to_role, route),
            FOREIGN KEY (from_role, to_role) REFERENCES progression(from_role, to_role)
        );
        CREATE TABLE national_rate (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            rate REAL NOT NULL,
            source TEXT NOT NULL
        );
        CREATE TABLE national_rate_role (
            rate TEXT NOT NULL REFERENCES national_rate(id),
            role TEXT NOT NULL UNIQUE REFERENCES role(id),
            PRIMARY KEY (rate, role)
        );
        CREATE TABLE import_batch (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            rows INTEGER NOT NULL,
            added INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            unchanged INTEGER NOT NULL,
            illustrative INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE job_description (
            id INTEGER PRIMARY KEY,
            trust TEXT NOT NULL REFERENCES trust(code),
            jd_ref TEXT NOT NULL,
            title TEXT NOT NULL,
            role TEXT REFERENCES role(id),
            band TEXT REFERENCES band(code),  -- NULL only for posts on medical and dental pay
            wte_funded REAL,
            wte_in_post REAL,
            je_levels TEXT,
            je_score INTEGER,  -- from je_levels at import, so analyses need not re-score
            summary TEXT NOT NULL DEFAULT '',
            import_batch INTEGER NOT NULL REFERENCES import_batch(id),
            UNIQUE (trust, jd_ref)
        );
        -- Banding variation reads only these two (covering) indexes, never the table, until
        -- it fetches the page of flags shown. (role, band, je_score, ...): the JE scores
        -- outside a band by range search, and the flags found and put in order (severity,
        -- WTE in post, trust, reference), and any lookup by role, or role and band.
        CREATE INDEX job_description_role_band
            ON job_description(role, band, je_score, wte_in_post, trust, jd_ref);
        -- (role, title, band): the summary's one GROUP BY role, title, band (the bands and
        -- the titles of every role in one scan).
        CREATE INDEX job_description_role_title ON job_description(role, title, band);
        CREATE INDEX job_description_band ON job_description(band);
        CREATE TABLE jd_competency (
            jd INTEGER NOT NULL REFERENCES job_description(id) ON DELETE CASCADE,
            competency TEXT NOT NULL REFERENCES competency(id),
            PRIMARY KEY (jd, competency)
        );
        CREATE INDEX jd_competency_competency ON jd_competency(competency);
        """,
    ),
    Migration(
        2,
        "saved harmonisation scenarios",
        """
        CREATE TABLE scenario (
            name TEXT PRIMARY KEY,
            created TEXT NOT NULL,
            assumptions TEXT NOT NULL  -- JSON: pay_year, pay_point, on_costs, protection, basis
        );
        CREATE TABLE scenario_target (
            scenario TEXT NOT NULL REFERENCES scenario(name) ON DELETE CASCADE,
            role TEXT NOT NULL REFERENCES role(id),
            band TEXT NOT NULL REFERENCES band(code),
            position INTEGER NOT NULL,  -- the order the targets were given in
            PRIMARY KEY (scenario, role)
        );
        CREATE INDEX scenario_target_role ON scenario_target(role);
        """,
    ),
    Migration(
        3,
        "role mapping audit trail",
        """
        -- One row per change to a JD's reference role made by matching: `workforce match
        -- --apply-above` (auto), a person on the app's Matching screen (chosen), or an undo
        -- there (undone). Keyed by (trust, jd_ref), not the JD's id, so a row reads on its own
        -- and outlives a re-import. Roles that came with imported JDs are not recorded here.
        CREATE TABLE role_mapping (
            id INTEGER PRIMARY KEY,
            trust TEXT NOT NULL,
            jd_ref TEXT NOT NULL,
            role TEXT,  -- NULL after an undo
            previous_role TEXT,
            how TEXT NOT NULL CHECK (how IN ('auto', 'chosen', 'undone')),
            score REAL,  -- the matcher's confidence in `role` (NULL when there was none)
            at TEXT NOT NULL  -- ISO 8601, UTC, to the second
        );
        CREATE INDEX role_mapping_jd ON role_mapping(trust, jd_ref);
        """,
    ),
    Migration(
        4,
        "an open catalogue: provenance of reference rows, retired roles, import kinds",
        """
        -- Where each reference row came from: the packaged data (and its release), the
        -- network's own (local), or the network's change to a packaged row (override), which
        -- `workforce update` keeps. A packaged row the network removed stays here as
        -- 'removed', so an update does not bring it back. `kind` is the import kind (icb,
        -- trust, route, edge, pay_point, ...), `key` its key, parts joined with ':'.
        CREATE TABLE reference_origin (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('packaged', 'local', 'override', 'removed')),
            release TEXT NOT NULL DEFAULT '',  -- the packaged data release, for packaged rows
            changed_by INTEGER REFERENCES import_batch(id),  -- NULL: as built
            PRIMARY KEY (kind, key)
        );
        -- Every change to a reference row after the build: by an import, an edit in the app,
        -- a command (retire, pay year) or `workforce update`.
        CREATE TABLE reference_change (
            id INTEGER PRIMARY KEY,
            batch INTEGER NOT NULL REFERENCES import_batch(id),
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            action TEXT NOT NULL,  -- added, updated, removed, retired, kept (by update)
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX reference_change_batch ON reference_change(batch);
        -- What a batch was: JDs imported, reference rows imported, an edit, an update.
        ALTER TABLE import_batch ADD COLUMN kind TEXT NOT NULL DEFAULT 'jds';
        -- A retired role stays for the JDs, moves and scenarios that name it, and one merged
        -- into another names it.
        ALTER TABLE role ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
        ALTER TABLE role ADD COLUMN merged_into TEXT REFERENCES role(id);
        -- Every reference row of a catalogue built before provenance came from the packaged
        -- data: nothing else could change it.
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'icb', code, 'packaged' FROM icb;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'trust', code, 'packaged' FROM trust;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'staff_group', id, 'packaged' FROM staff_group;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'band', code, 'packaged' FROM band;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'pay_point', band || ':' || pay_year || ':' || point, 'packaged'
            FROM pay_point;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'role', id, 'packaged' FROM role;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'competency', id, 'packaged' FROM competency;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'role_competency', role || ':' || competency, 'packaged'
            FROM role_competency;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'route', id, 'packaged' FROM training_route;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'edge', from_role || ':' || to_role, 'packaged' FROM progression;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'rate', id, 'packaged' FROM national_rate;
        INSERT INTO reference_origin (kind, key, origin)
            SELECT 'on_costs', 'on_costs', 'packaged'
            WHERE EXISTS (SELECT 1 FROM catalogue_meta WHERE key = 'on_costs_rate')
        """,
    ),
    Migration(
        5,
        "JE profiles, pay elements on JDs, competency levels on JDs, route fees",
        """
        -- A JE profile: a national profile or the network's own harmonised one, with a level
        -- range for each factor. Reference data a network imports like any other (kind
        -- 'je_profile'). `generic` marks the profiles the JE handbook allows a minimum score
        -- below their band's lower boundary.
        CREATE TABLE je_profile (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            band TEXT NOT NULL REFERENCES band(code),
            generic INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        -- One row per factor of a profile: its level range as numbers for scoring, and as
        -- the profile wrote it ("2-3", "4a") for showing.
        CREATE TABLE je_profile_level (
            profile TEXT NOT NULL REFERENCES je_profile(id) ON DELETE CASCADE,
            factor INTEGER NOT NULL REFERENCES je_factor(number),
            level_min INTEGER NOT NULL,
            level_max INTEGER NOT NULL,
            written TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (profile, factor)
        );
        -- Pay beyond the band, as a trust pays a post: a recruitment and retention premium
        -- (an annual amount or a percentage of basic pay, never both), the date it is to be
        -- reviewed or ends, the pay point new starters are appointed at, and any other
        -- recurring local supplement with a short note. NULL: none.
        ALTER TABLE job_description ADD COLUMN rrp_amount INTEGER;
        ALTER TABLE job_description ADD COLUMN rrp_percent REAL;
        ALTER TABLE job_description ADD COLUMN rrp_until TEXT;
        ALTER TABLE job_description ADD COLUMN appointment_point TEXT NOT NULL DEFAULT 'entry'
            CHECK (appointment_point IN ('entry', 'intermediate', 'top'));
        ALTER TABLE job_description ADD COLUMN supplement INTEGER;
        ALTER TABLE job_description ADD COLUMN pay_note TEXT NOT NULL DEFAULT '';
        -- The level a JD asks of a competency, where it says (NULL: the level its reference
        -- role needs).
        ALTER TABLE jd_competency ADD COLUMN level INTEGER;
        -- What a route costs the person or employer in tuition, apart from the apprenticeship
        -- funding cap: pounds, NULL when unknown, with the source of the figure.
        ALTER TABLE training_route ADD COLUMN fee INTEGER;
        ALTER TABLE training_route ADD COLUMN fee_source TEXT NOT NULL DEFAULT '';
        -- What a scenario does with pay beyond the band, per role: keep premia, remove them
        -- at their review date, or align every trust to one amount, and the appointment point
        -- every trust is to use (NULL: as each trust does now).
        CREATE TABLE scenario_pay (
            scenario TEXT NOT NULL REFERENCES scenario(name) ON DELETE CASCADE,
            role TEXT NOT NULL REFERENCES role(id),
            rrp_action TEXT NOT NULL DEFAULT 'keep'
                CHECK (rrp_action IN ('keep', 'remove', 'align')),
            rrp_amount INTEGER,  -- the aligned annual amount, for 'align'
            appointment_point TEXT CHECK (appointment_point IN ('entry', 'intermediate', 'top')),
            PRIMARY KEY (scenario, role)
        );
        -- Holdings on paths (issue 12, items 8-11): a graduate-entry route, open only to
        -- people who already hold a degree, is not counted for someone without one.
        ALTER TABLE training_route ADD COLUMN needs_degree INTEGER NOT NULL DEFAULT 0
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version of an open catalogue; 0 for an empty database."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: Database) -> int:
    """Apply every migration newer than the catalogue; return the version it is now at.

    Does nothing (and writes nothing) when the catalogue is already current, so opening a
    catalogue never changes its bytes.
    """
    conn = db.conn
    version = current_version(conn)
    if version > LATEST_VERSION:
        raise SchemaError(
            f"the catalogue is at schema version {version}, newer than this release "
            f"understands ({LATEST_VERSION}); upgrade workforce-pathways"
        )
    if version == 0:
        has_tables = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1"
        ).fetchone()
        if has_tables:
            raise SchemaError(
                "the file is an SQLite database but not a Workforce Pathways catalogue"
            )
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        # executescript would commit on its own; run statements one by one inside a
        # transaction so a failed migration leaves the catalogue as it was. IMMEDIATE takes
        # the write lock first: the app's workers open an old catalogue at once, and two
        # deferred transactions that both read and then write deadlock (one fails "database
        # is locked"). The second waits, then finds the migration done.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = current_version(conn)
            if migration.version > version:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER PRIMARY KEY, description TEXT NOT NULL)"
                )
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, description) VALUES (?, ?)",
                    (migration.version, migration.description),
                )
                version = migration.version
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
    return version


def _statements(script: str) -> list[str]:
    """Split a migration script into statements.

    Comments are dropped first, so a semicolon in one cannot split a statement; our scripts
    hold no semicolon or `--` inside a string.
    """
    code = "\n".join(line.split("--", 1)[0] for line in script.splitlines())
    return [part.strip() for part in code.split(";") if part.strip()]
