//! The architecture, checked: each module of `src/` imports only the layers
//! below it (`docs/architecture.md` has the picture), no SQL is written
//! above `storage`, and no source file grows past ~500 lines. A failure
//! names the file and the line to move.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Each top-level module's layer: a module may use its own items and those
/// of modules in lower layers, never one in its own layer or above.
const LAYERS: &[(&str, u32)] = &[
    ("domain", 10),
    ("search", 10),
    ("model", 11),
    ("generate", 12),
    ("storage", 20),
    ("service", 30),
    ("graphql", 40),
    ("feeds", 41),
    ("http", 50),
    ("boot", 60),
    ("config", 61),
    ("cli", 70),
];

/// Longest source file, in lines.
const MAX_LINES: usize = 500;

/// Files allowed to be longer, and why.
const LONG_FILES: &[(&str, &str)] = &[(
    "migrations/src/m20261127_000001_content_model.rs",
    "a migration is frozen once released: its DDL is history, not code to split",
)];

/// What only the repository (`src/storage`) may contain: SQL and the query
/// builders that name tables and columns.
const SQL_MARKERS: &[&str] = &[
    "\"SELECT ",
    "\"INSERT ",
    "\"UPDATE ",
    "\"DELETE ",
    "Entity::find",
    "Column::",
    "query_all(",
    "execute_unprepared(",
    "stream_raw(",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The module path of a file under `src/`: `src/a/b.rs` and `src/a/b/mod.rs`
/// are `[a, b]`; `src/lib.rs` and `src/main.rs` are the crate root.
fn module_path(path: &Path) -> Vec<String> {
    let src = root().join("src");
    let rel = path.strip_prefix(&src).unwrap_or(path);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "lib" | "main") {
            parts.push(stem.to_string());
        }
    }
    parts
}

/// The text without comments, so that a doc comment naming a module is not
/// an import. String literals are kept (they hold the SQL).
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

/// The top-level modules a line refers to by path (`crate::x`,
/// `osce_api::x`, or a `super::` that leaves its top-level module).
fn references(line: &str, module: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for prefix in ["crate::", "osce_api::"] {
        for (at, _) in line.match_indices(prefix) {
            let before = line[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &line[at + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    for (at, _) in line.match_indices("super::") {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut rest = &line[at..];
        let mut depth = 0;
        while let Some(tail) = rest.strip_prefix("super::") {
            depth += 1;
            rest = tail;
        }
        if depth >= module.len() {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// The numbered lines of a file up to its unit tests (`#[cfg(test)]`, by
/// convention at the end): tests may set up what they test with anything.
fn product_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| !line.trim_start().starts_with("#[cfg(test)]"))
}

fn layer_of(module: &str) -> Option<u32> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, layer)| *layer)
}

#[test]
fn every_top_level_module_has_a_layer() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut missing = BTreeSet::new();
    for file in files {
        if let Some(top) = module_path(&file).first()
            && layer_of(top).is_none()
        {
            missing.insert(top.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "modules without a layer in tests/architecture.rs (add them, and to docs/architecture.md): {missing:?}"
    );
}

#[test]
fn no_module_imports_its_own_layer_or_above() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let module = module_path(file);
        let Some(top) = module.first() else {
            continue; // lib.rs and main.rs put the layers together
        };
        let Some(own) = layer_of(top) else {
            continue;
        };
        let text = fs::read_to_string(file).expect("read a source file");
        for (n, line) in product_lines(&text) {
            for used in references(code_of(line), &module) {
                if &used == top {
                    continue;
                }
                if let Some(layer) = layer_of(&used)
                    && layer >= own
                {
                    violations.push(format!(
                        "{}:{}: `{top}` (layer {own}) uses `{used}` (layer {layer})",
                        relative(file),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports that point up or sideways:\n{}",
        violations.join("\n")
    );
}

#[test]
fn sql_is_written_only_in_storage() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let storage = root().join("src").join("storage");
    let mut violations = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&storage)) {
        let text = fs::read_to_string(file).expect("read a source file");
        for (n, line) in product_lines(&text) {
            let code = code_of(line);
            for marker in SQL_MARKERS {
                if code.contains(marker) {
                    violations.push(format!("{}:{}: {}", relative(file), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "SQL above the repository (move it behind a typed function in src/storage):\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_source_file_is_over_500_lines() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "migrations/src", "examples", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    files.sort();
    let mut long = Vec::new();
    for file in files {
        let name = relative(&file);
        if LONG_FILES.iter().any(|(allowed, _)| *allowed == name) {
            continue;
        }
        let lines = fs::read_to_string(&file)
            .expect("read a source file")
            .lines()
            .count();
        if lines > MAX_LINES {
            long.push(format!("{name}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them along their seams):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_checker_sees_an_upward_import() {
    let module = vec!["storage".to_string(), "keys".to_string()];
    let used = references(
        code_of("use crate::service::QueryError; // crate::http"),
        &module,
    );
    assert_eq!(used, BTreeSet::from(["service".to_string()]));
    let used = references("use super::super::graphql::X;", &module);
    assert_eq!(used, BTreeSet::from(["graphql".to_string()]));
    assert!(references("use super::rows;", &module).is_empty());
}
