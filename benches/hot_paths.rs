//! Criterion benchmarks of the per-paragraph hot paths: tokenising (fast path and the
//! `tokenizers` pipeline), cue matching, featurising, the text stage, a whole article
//! through both stages, repetition fingerprints, and loading the default model.
//! Run: `cargo bench --bench hot_paths`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use chaff::internals::{fingerprint, Cues, FeatureSettings, Features, Featurizer, Tokenizer};
use chaff::{Article, LabelledSet, Model, Tagger};

fn paragraphs() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let set = LabelledSet::read(&[format!("{root}/data/test.csv")]).expect("data/test.csv");
    set.paragraphs()
        .map(|p| p.text.clone())
        .take(2000)
        .collect()
}

fn hot_paths(c: &mut Criterion) {
    let texts = paragraphs();
    let n = texts.len() as u64;
    let tokenizer = Tokenizer::default();
    let cues = Cues::default();
    let featurizer = Featurizer::new(FeatureSettings::default());
    let model = Model::builtin().expect("built-in model");

    let mut g = c.benchmark_group("per paragraph");
    g.throughput(Throughput::Elements(n));
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            let mut count = 0;
            for t in &texts {
                tokenizer.for_each_token(t, |_| count += 1);
            }
            black_box(count)
        })
    });
    g.bench_function("tokenize, tokenizers pipeline only", |b| {
        b.iter(|| {
            let mut count = 0;
            for t in &texts {
                tokenizer.pipeline_tokens(t, |_| count += 1);
            }
            black_box(count)
        })
    });
    g.bench_function("cues", |b| {
        b.iter(|| {
            let mut count = 0;
            for t in &texts {
                cues.for_each_match(t, |_, _| count += 1);
            }
            black_box(count)
        })
    });
    g.bench_function("featurize", |b| {
        let mut f = Features::default();
        b.iter(|| {
            for t in &texts {
                black_box(featurizer.featurize(t, &mut f));
            }
        })
    });
    g.bench_function("text stage, each paragraph alone", |b| {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        b.iter(|| pool.install(|| black_box(model.predict(&refs))))
    });
    g.bench_function("fingerprint", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(fingerprint(t));
            }
        })
    });
    g.bench_function("both stages, 20-paragraph articles", |b| {
        let articles: Vec<Article> = texts
            .chunks(20)
            .enumerate()
            .map(|(i, chunk)| Article::new(format!("a{i}"), chunk.iter().cloned()))
            .collect();
        // One thread, as the other hot paths: the tagger itself runs on rayon's pool.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        b.iter(|| pool.install(|| black_box(Tagger::new(&model).tag(&articles).unwrap().len())))
    });
    g.finish();

    c.bench_function("load the default model", |b| {
        let bytes = model.to_bytes();
        b.iter(|| black_box(Model::from_bytes(&bytes, "bench").expect("model")))
    });
}

criterion_group!(benches, hot_paths);
criterion_main!(benches);
