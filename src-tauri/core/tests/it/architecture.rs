//! Holds the core to docs/architecture.md: its layer table names every top-level module of
//! `src/`, each module imports only modules of lower layers, and no modules import each
//! other in a circle. An import is a `crate::…` path, or a `super::…` / `self::…` path,
//! anywhere in the code (macro arguments included); comments and string literals are not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn core_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A module path inside the crate, e.g. `["iam", "users"]`.
type ModPath = Vec<String>;

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// The ```layers block: (layer, its modules), bottom layer first.
fn layer_table(doc: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let start =
        doc.lines().position(|l| l.trim() == "```layers").ok_or("docs/architecture.md has no ```layers block")?;
    let mut layers = Vec::new();
    for line in doc.lines().skip(start + 1) {
        let line = line.trim();
        if line == "```" {
            return Ok(layers);
        }
        if line.is_empty() {
            continue;
        }
        let (name, modules) =
            line.split_once(':').ok_or_else(|| format!("layer line `{line}` is not `layer: module module …`"))?;
        layers.push((name.trim().to_string(), modules.split_whitespace().map(str::to_string).collect()));
    }
    Err("the ```layers block is not closed".into())
}

/// Every `.rs` file under `src/`, with the module it is (`lib.rs` is the crate root, `[]`).
fn source_files(src: &Path) -> Vec<(PathBuf, ModPath)> {
    fn walk(dir: &Path, src: &Path, out: &mut Vec<(PathBuf, ModPath)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, src, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).unwrap().with_extension("");
                let mut module: ModPath = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
                if module.last().is_some_and(|l| l == "mod" || l == "lib") {
                    module.pop();
                }
                out.push((path, module));
            }
        }
    }
    let mut out = Vec::new();
    walk(src, src, &mut out);
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Path, // ::
    Open,
    Close,
    Comma,
    Other(char),
}

/// Rust source as tokens with their line numbers; comments, string and character literals
/// and lifetimes are dropped, since none of them imports anything.
fn tokens(src: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = src.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    let ident_char = |ch: char| ch.is_alphanumeric() || ch == '_';
    // Skips to the end of a string literal opened at `i` by `hashes` #s and a quote.
    let skip_string = |mut i: usize, hashes: usize, raw: bool, line: &mut usize| -> usize {
        while i < c.len() {
            if c[i] == '\n' {
                *line += 1;
            }
            if !raw && c[i] == '\\' {
                *line += usize::from(c.get(i + 1) == Some(&'\n'));
                i += 2;
                continue;
            }
            if c[i] == '"' && c[i + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes {
                return i + 1 + hashes;
            }
            i += 1;
        }
        i
    };
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied().unwrap_or(' ');
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(c[i] == '\n');
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_string(i + 1, 0, false, &mut line);
        } else if ch == '\'' {
            // A character literal ('a', '\n', '\u{7f}') or a lifetime ('a, 'static).
            if next == '\\' {
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < c.len() && ident_char(c[i]) {
                    i += 1;
                }
            }
        } else if ident_char(ch) {
            let start = i;
            while i < c.len() && ident_char(c[i]) {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let hashes = c[i..].iter().take_while(|&&h| h == '#').count();
            let quote = c.get(i + hashes) == Some(&'"');
            if matches!(word.as_str(), "r" | "br" | "cr") && quote {
                i = skip_string(i + hashes + 1, hashes, true, &mut line);
            } else if matches!(word.as_str(), "b" | "c") && hashes == 0 && quote {
                i = skip_string(i + 1, 0, false, &mut line);
            } else if word == "b" && c.get(i) == Some(&'\'') {
                // b'x': the character literal is skipped next.
            } else if word == "r" && hashes == 1 && c.get(i + 1).is_some_and(|&n| ident_char(n)) {
                i += 1; // r#ident: the identifier follows
            } else if !ch.is_ascii_digit() {
                out.push((Tok::Ident(word), line));
            }
        } else if ch == ':' && next == ':' {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((
                match ch {
                    '{' => Tok::Open,
                    '}' => Tok::Close,
                    ',' => Tok::Comma,
                    other => Tok::Other(other),
                },
                line,
            ));
            i += 1;
        }
    }
    out
}

fn ident(t: Option<&(Tok, usize)>) -> Option<&str> {
    match t {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

/// The paths of a `use` tree or an expression path starting at `i`, after `prefix::`.
/// Returns where the path ends.
fn path_tree(t: &[(Tok, usize)], mut i: usize, prefix: ModPath, out: &mut Vec<ModPath>) -> usize {
    match t.get(i).map(|(tok, _)| tok) {
        Some(Tok::Open) => {
            i += 1;
            loop {
                match t.get(i).map(|(tok, _)| tok) {
                    None => return i,
                    Some(Tok::Close) => return i + 1,
                    Some(Tok::Comma) => i += 1,
                    Some(_) => i = path_tree(t, i, prefix.clone(), out),
                }
            }
        }
        Some(Tok::Ident(word)) => {
            let mut path = prefix;
            if word != "self" {
                path.push(word.clone());
            }
            if t.get(i + 1).map(|(tok, _)| tok) == Some(&Tok::Path) {
                path_tree(t, i + 2, path, out)
            } else {
                out.push(path);
                i + 1
            }
        }
        _ => {
            out.push(prefix);
            i + 1
        }
    }
}

/// One import, at `line`, of the path `to` (from the crate root).
#[derive(Debug)]
struct Import {
    line: usize,
    to: ModPath,
}

/// Every path of `src` that names something through `crate`, `super` or `self`, resolved
/// from the crate root. `module` is the file's module; inline `mod x { … }` blocks nest.
fn imports(src: &str, module: &[String]) -> Vec<Import> {
    let t = tokens(src);
    let mut out = Vec::new();
    // One entry per open brace: the inline module it opens, if it does.
    let mut braces: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let (tok, line) = &t[i];
        let here = || -> ModPath { module.iter().cloned().chain(braces.iter().flatten().cloned()).collect() };
        match tok {
            Tok::Open => {
                let is_mod = i >= 2 && ident(t.get(i - 2)) == Some("mod");
                braces.push(if is_mod { ident(t.get(i - 1)).map(str::to_string) } else { None });
                i += 1;
            }
            Tok::Close => {
                braces.pop();
                i += 1;
            }
            Tok::Ident(word)
                if matches!(word.as_str(), "crate" | "super" | "self")
                    && t.get(i + 1).map(|(tok, _)| tok) == Some(&Tok::Path)
                    && (i == 0 || t[i - 1].0 != Tok::Path) =>
            {
                let (mut base, mut j) = match word.as_str() {
                    "crate" => (Vec::new(), i + 2),
                    _ => (here(), i),
                };
                // super::super::… climbs one module per `super`.
                while ident(t.get(j)) == Some("super") && t.get(j + 1).map(|(tok, _)| tok) == Some(&Tok::Path) {
                    if base.pop().is_none() {
                        out.push(Import { line: *line, to: vec!["super above the crate root".into()] });
                    }
                    j += 2;
                }
                if ident(t.get(j)) == Some("self") {
                    j += 2;
                }
                let mut paths = Vec::new();
                let end = path_tree(&t, j, base, &mut paths);
                out.extend(paths.into_iter().map(|to| Import { line: *line, to }));
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// The module an import reaches: the longest prefix of its path that is a module of `src/`.
fn resolve<'a>(to: &[String], modules: &'a BTreeSet<ModPath>) -> Option<&'a ModPath> {
    (1..=to.len()).rev().find_map(|n| modules.get(&to[..n].to_vec()))
}

/// Module → module it imports → where (file:line).
type Graph = BTreeMap<ModPath, BTreeMap<ModPath, String>>;

fn violations(src: &Path, doc: &str) -> Vec<String> {
    check(src, doc).0
}

/// Checks the crate at `src` against the layer table of `doc`: what breaks it, and the
/// imports it found.
fn check(src: &Path, doc: &str) -> (Vec<String>, Graph) {
    let mut problems = Vec::new();
    let layers = match layer_table(doc) {
        Ok(l) => l,
        Err(e) => return (vec![e], Graph::new()),
    };
    let mut layer_of: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (n, (layer, modules)) in layers.iter().enumerate() {
        for m in modules {
            if layer_of.insert(m.clone(), (n, layer.clone())).is_some() {
                problems.push(format!("`{m}` is listed twice in the layer table"));
            }
        }
    }
    let files = source_files(src);
    let modules: BTreeSet<ModPath> = files.iter().map(|(_, m)| m.clone()).filter(|m| !m.is_empty()).collect();
    let top: BTreeSet<&String> = modules.iter().map(|m| &m[0]).collect();
    for m in &top {
        if !layer_of.contains_key(*m) {
            problems.push(format!("src/ has the module `{m}`, which the layer table in docs/architecture.md lacks"));
        }
    }
    for m in layer_of.keys() {
        if !top.contains(m) {
            problems.push(format!("the layer table lists `{m}`, which is not a module of src/"));
        }
    }

    let mut graph = Graph::new();
    for (path, from) in &files {
        if from.is_empty() {
            continue; // lib.rs declares the modules and re-exports: it may name all of them.
        }
        let text = std::fs::read_to_string(path).unwrap();
        let file = path.strip_prefix(src.parent().unwrap()).unwrap_or(path).display().to_string();
        for import in imports(&text, from) {
            let at = format!("{file}:{}", import.line);
            let Some(to) = resolve(&import.to, &modules) else {
                problems.push(format!(
                    "{at}: `{}` names no module of src/; name items by their module path \
                     (crate::error::Error, not crate::Error) so that the import's layer is known",
                    show(&import.to)
                ));
                continue;
            };
            if to == from {
                continue;
            }
            graph.entry(from.clone()).or_default().entry(to.clone()).or_insert_with(|| at.clone());
            if let (Some((lf, from_layer)), Some((lt, to_layer))) = (layer_of.get(&from[0]), layer_of.get(&to[0])) {
                if from[0] != to[0] && lt >= lf {
                    let how = if lt == lf { "its own layer" } else { "a higher layer" };
                    problems.push(format!(
                        "{at}: `{}` (layer {from_layer}) imports `{}` (layer {to_layer}), {how}, through \
                         `crate::{}`; a module may import only modules of lower layers",
                        show(from),
                        show(to),
                        show(&import.to)
                    ));
                }
            }
        }
    }
    if let Some(cycle) = find_cycle(&graph) {
        let edges: Vec<String> =
            cycle.windows(2).map(|w| format!("{} → {} ({})", show(&w[0]), show(&w[1]), graph[&w[0]][&w[1]])).collect();
        problems.push(format!("modules import each other in a circle: {}", edges.join(", ")));
    }
    (problems, graph)
}

/// A circle of imports, as the modules along it with the first repeated at the end.
fn find_cycle(graph: &Graph) -> Option<Vec<ModPath>> {
    fn visit<'a>(
        m: &'a ModPath,
        graph: &'a Graph,
        stack: &mut Vec<&'a ModPath>,
        done: &mut BTreeSet<&'a ModPath>,
    ) -> Option<Vec<ModPath>> {
        if let Some(at) = stack.iter().position(|s| *s == m) {
            return Some(stack[at..].iter().map(|s| (*s).clone()).chain([m.clone()]).collect());
        }
        if !done.insert(m) {
            return None;
        }
        stack.push(m);
        for next in graph.get(m).into_iter().flat_map(|e| e.keys()) {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_core_keeps_to_the_layers_of_docs_architecture() {
    let doc = std::fs::read_to_string(core_dir().join("../../docs/architecture.md")).unwrap();
    let (problems, graph) = check(&core_dir().join("src"), &doc);
    assert!(problems.is_empty(), "the core breaks docs/architecture.md:\n  {}\n", problems.join("\n  "));
    // A checker that read nothing would pass too: it must have seen these imports.
    let m = |s: &str| s.split("::").map(str::to_string).collect::<ModPath>();
    let known = [
        ("iam::users", "iam::groups"),
        ("credentials::rotation", "iam::users"),
        ("deletion::aws", "credentials::access_keys"),
        ("secrets::handoff", "secrets"),
    ];
    for (from, to) in known {
        let seen = graph.get(&m(from)).is_some_and(|imports| imports.contains_key(&m(to)));
        assert!(seen, "the checker did not see {from} import {to}");
    }
}

#[test]
fn the_core_depends_on_no_ui_toolkit() {
    // Cargo.lock knows every crate the core pulls in, however deep.
    let lock = std::fs::read_to_string(core_dir().join("../../Cargo.lock")).unwrap();
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let name = package.lines().find_map(|l| l.strip_prefix("name = ")).unwrap().trim_matches('"').to_string();
        let list = package.split_once("dependencies = [").map_or("", |(_, rest)| rest.split(']').next().unwrap());
        let names = list.split(',').map(|d| d.trim().trim_matches('"')).filter(|d| !d.is_empty());
        deps.entry(name).or_default().extend(names.map(|d| d.split(' ').next().unwrap().to_string()));
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec!["gatehouse-core".to_string()];
    while let Some(p) = todo.pop() {
        if seen.insert(p.clone()) {
            todo.extend(deps.get(&p).into_iter().flatten().cloned());
        }
    }
    assert!(seen.len() > 20, "the lock file was read: {seen:?}");
    let ui = ["tauri", "gtk", "gdk", "webkit", "javascriptcore", "wry", "tao", "soup"];
    let is_ui = |p: &&String| p.split('-').next().is_some_and(|first| ui.iter().any(|u| first.starts_with(u)));
    let found: Vec<&String> = seen.iter().filter(is_ui).collect();
    assert!(found.is_empty(), "gatehouse-core must stay free of the UI stack, yet depends on {found:?}");
}

/// The checker itself, on a made-up crate: it must see every kind of import and fail on
/// each kind of breach, or a green run would mean nothing.
#[test]
fn the_checker_finds_what_breaks_the_layers() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let write = |path: &str, text: &str| {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let doc = "```layers\nbase: error\nfeatures: iam\n```\n";
    write("lib.rs", "pub mod error;\npub mod iam;\n");
    write("error.rs", "pub struct Error;\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n");
    write("iam/mod.rs", "pub mod a;\npub mod b;\n");
    write(
        "iam/a.rs",
        "use crate::{error::Error, iam::b};\n// crate::nothing::here\nconst S: &str = \"crate::nothing\";\n\
         const R: &str = r#\"crate::\"nothing\"#;\nfn f<'a>(_: &'a str) -> char { 'x' }\n",
    );
    write("iam/b.rs", "pub(crate) fn g() { let _ = super::super::error::Error; }\n");
    assert_eq!(violations(&src, doc), Vec::<String>::new());

    // The foundation importing a feature, from inside a macro's arguments: upward, and
    // (since iam::b imports error) a circle.
    write("error.rs", "pub struct Error;\nfn f() { println!(\"{}\", crate::iam::b::g()); }\n");
    let found = violations(&src, doc);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("src/error.rs:2: `error` (layer base) imports `iam::b` (layer features), a higher layer"),
        "{}",
        found[0]
    );
    assert!(found[1].contains("error → iam::b (src/error.rs:2), iam::b → error (src/iam/b.rs:1)"), "{}", found[1]);
    write("error.rs", "pub struct Error;\n");

    // Two files of one module importing each other.
    write("iam/b.rs", "use super::a;\n");
    let found = violations(&src, doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("in a circle: iam::a → iam::b (src/iam/a.rs:1), iam::b → iam::a (src/iam/b.rs:1)"),
        "{}",
        found[0]
    );
    write("iam/b.rs", "\n");

    // Modules the table and src/ disagree on, a root re-export, a second module in a layer.
    write("vocab.rs", "use crate::Error;\n");
    let found = violations(&src, &doc.replace("features: iam", "features: iam deletion"));
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("the module `vocab`, which the layer table"), "{}", found[0]);
    assert!(found[1].contains("lists `deletion`, which is not a module"), "{}", found[1]);
    assert!(found[2].contains("src/vocab.rs:1: `Error` names no module"), "{}", found[2]);
    std::fs::remove_file(src.join("vocab.rs")).unwrap();
    write("iam/a.rs", "\n");
    let found = violations(&src, "```layers\nall: error iam\n```\n");
    assert!(found.is_empty(), "nothing imports across: {found:?}");
    write("iam/a.rs", "use crate::error::Error;\n");
    let found = violations(&src, "```layers\nall: error iam\n```\n");
    assert!(found[0].contains("imports `error` (layer all), its own layer"), "{found:?}");
}
