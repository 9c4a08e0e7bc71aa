//! A synthetic pack of any size, for the near-duplicate scaling example and tests.
//!
//! Stems are random words from a small vocabulary around a shared opening and closing (as
//! real stems share "What should you do?"); every `plant_every`-th question copies an
//! earlier stem with one or two words changed, so it is a planted near-duplicate.

#![allow(dead_code)]

const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/mini");

/// SplitMix64: deterministic and dependency-free.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn word(rng: &mut Rng, vocabulary: usize) -> String {
    // Skewed towards low numbers, as natural text is.
    let a = rng.below(vocabulary);
    let b = rng.below(vocabulary);
    format!("w{}", a.min(b))
}

/// Stems for `n` questions; returns them with the indexes of the planted duplicates.
pub(crate) fn stems(n: usize, seed: u64, plant_every: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut out: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        if plant_every > 0 && i > 0 && i % plant_every == 0 {
            let src = rng.below(i);
            let mut words: Vec<String> = out[src].split(' ').map(str::to_owned).collect();
            for _ in 0..1 + rng.below(2) {
                let at = 3 + rng.below(words.len() - 7);
                words[at] = word(&mut rng, 3000);
            }
            out.push(words.join(" "));
            continue;
        }
        let len = 25 + rng.below(25);
        let mut s = String::from("A team at company");
        for _ in 0..len {
            s.push(' ');
            s.push_str(&word(&mut rng, 3000));
        }
        s.push_str(" What should you do?");
        out.push(s);
    }
    out
}

/// The mini fixture's pack.toml and topics.toml with `n` generated questions, 500 a file.
pub(crate) fn pack_files(n: usize, seed: u64, plant_every: usize) -> Vec<(String, String)> {
    let read = |p: &str| std::fs::read_to_string(format!("{MINI}/{p}")).expect("mini fixture");
    let mut files = vec![
        ("pack.toml".to_owned(), read("pack.toml")),
        ("topics.toml".to_owned(), read("topics.toml")),
    ];
    let mut text = String::new();
    for (i, stem) in stems(n, seed, plant_every).iter().enumerate() {
        text.push_str(&format!(
            "[[question]]\nid = \"gen-{i}\"\nsection = \"s1\"\ntopics = [\"bqml\"]\nkind = \"single\"\n\
             difficulty = 2\nlast-verified = 2026-11-01\n\
             references = [\"https://cloud.google.com/bigquery/docs/bqml-introduction\"]\n\
             stem = \"{stem}\"\n"
        ));
        for (k, opt) in ["Alpha one", "Beta two two", "Gamma three", "Delta four"]
            .iter()
            .enumerate()
        {
            text.push_str(&format!(
                "\n[[question.option]]\ntext = \"{opt} {i}\"\ncorrect = {}\nexplanation = \"Because of {opt}.\"\n",
                k == 1
            ));
        }
        text.push('\n');
        if (i + 1) % 500 == 0 || i + 1 == n {
            files.push((
                format!("questions/gen-{:03}.toml", i / 500),
                std::mem::take(&mut text),
            ));
        }
    }
    files
}
