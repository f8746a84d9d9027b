//! The Python binding of chaff: `chaff._chaff`, re-exported by `python/chaff/__init__.py`.
//!
//! One class, `Model`, holds a model and a tagger over it. Rust does the work with the
//! GIL released; only turning results into Python objects holds it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chaff::{Article, Error, Tagger};
use numpy::{PyArray2, PyArrayMethods};
use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyModule, PyString, PyTuple};

create_exception!(
    chaff,
    ChaffError,
    PyValueError,
    "Raised for input or a model file that chaff cannot use; the message names the file \
     (and line) and the problem."
);

/// chaff's errors as Python exceptions: I/O failures are OSError, everything else
/// ChaffError (a ValueError), each with chaff's one-line message.
fn to_py(err: Error) -> PyErr {
    match err {
        Error::Io { .. } => PyOSError::new_err(err.to_string()),
        _ => ChaffError::new_err(err.to_string()),
    }
}

/// A chaff model: tags each paragraph of news articles as `reporting` or one of the kinds
/// of chaff (`donation_appeal`, `gallery_caption`, `boilerplate`), and cleans articles of
/// the chaff.
///
/// Model() is the built-in model; Model(path) loads a `.chaff` file made by `chaff train`.
///
/// Articles are given as a list, each a str (paragraphs are cut at blank lines, or one per
/// line when there is none) or a list of paragraph strs.
///
/// A model remembers which paragraphs it has seen, across calls: boilerplate repeats from
/// article to article, reporting rarely does, so tagging a feed in many small calls gives
/// the same evidence as tagging it in one. Make a new Model for an unrelated feed. A
/// pickled or copied Model starts with no such memory.
///
/// Work runs in Rust with the GIL released, on all cores (set RAYON_NUM_THREADS before
/// the first call to use fewer). Calls from several threads on one Model take turns.
///
/// For a large feed, pass articles in batches from a generator, about 1,000 to 10,000
/// articles per call: `tag` returns a dict per paragraph (about 1 KB each in Python, with
/// its input), so tagging a million paragraphs in one call peaks near 1.1 GB, in batches
/// of 10,000 articles near 250 MB and of 1,000 articles near 70 MB, and no slower. The
/// repetition counts carry across calls, so batches see nearly the evidence of one call
/// (2 labels in 100,000 differed between one call and calls of 1,000 articles).
#[pyclass(module = "chaff", frozen)]
struct Model {
    model: Arc<chaff::Model>,
    /// The repetition counts live in the tagger, so it is kept between calls. It is
    /// taken out for each call (None meanwhile) because `pieces` is set by value.
    tagger: Mutex<Option<Tagger<'static>>>,
    /// The file it came from, or None for the built-in model (pickled by name only).
    path: Option<String>,
}

impl Model {
    fn wrap(model: chaff::Model, path: Option<String>) -> Self {
        let model = Arc::new(model);
        Model {
            tagger: Mutex::new(Some(Tagger::shared(model.clone()))),
            model,
            path,
        }
    }

    /// Labels in `keep` that the model does not know are a mistake, not a silent no-op.
    fn check_labels(&self, keep: &[String]) -> PyResult<()> {
        let names = self.model.labels().names();
        match keep.iter().find(|k| !names.contains(k)) {
            Some(bad) => Err(ChaffError::new_err(format!(
                "unknown label {bad:?} in keep; this model's labels are {names:?}"
            ))),
            None => Ok(()),
        }
    }

    /// Tags `articles` with the shared tagger, with the GIL released, and hands the
    /// tagged articles to `f` (still without the GIL).
    fn with_tags<'a, T: Send>(
        &self,
        py: Python<'_>,
        articles: &'a [Article],
        pieces: bool,
        f: impl FnOnce(Vec<chaff::TaggedArticle<'a>>) -> T + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            // A poisoned lock means an earlier call panicked while it held the tagger,
            // which was lost with it: go on with a fresh one (empty counts).
            let mut slot = self.tagger.lock().unwrap_or_else(|e| e.into_inner());
            let mut tagger = slot
                .take()
                .unwrap_or_else(|| Tagger::shared(self.model.clone()))
                .pieces(pieces);
            let result = tagger.tag(articles).map(f);
            *slot = Some(tagger);
            result
        })
        .map_err(to_py)
    }
}

/// For each article given as a list of paragraphs, its paragraph str objects.
type ParagraphObjects<'py> = Option<Vec<Bound<'py, PyString>>>;

/// Reads the articles argument: a list whose items are strs or lists of strs.
///
/// With `keep_objects`, also hands back, for each article given as a list of plain strs,
/// those str objects, so `tag` returns them as they came instead of copying each text
/// back into a new str.
fn articles<'py>(
    texts: &Bound<'py, PyAny>,
    ids: Option<Vec<String>>,
    keep_objects: bool,
) -> PyResult<(Vec<Article>, Vec<ParagraphObjects<'py>>)> {
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "expected a list of articles, got one str: wrap it in a list",
        ));
    }
    let items: Vec<Bound<'py, PyAny>> = texts.try_iter()?.collect::<PyResult<_>>()?;
    if let Some(ids) = &ids {
        if ids.len() != items.len() {
            return Err(PyValueError::new_err(format!(
                "{} ids for {} articles",
                ids.len(),
                items.len()
            )));
        }
    }
    let mut ids = ids.map(Vec::into_iter);
    let mut articles = Vec::with_capacity(items.len());
    let mut objects = Vec::with_capacity(if keep_objects { items.len() } else { 0 });
    for (i, item) in items.iter().enumerate() {
        let id = ids
            .as_mut()
            .and_then(Iterator::next)
            .unwrap_or_else(|| i.to_string());
        if let Ok(text) = item.cast::<PyString>() {
            articles.push(Article::from_text(id, &text.to_cow()?));
            if keep_objects {
                objects.push(None);
            }
        } else if let Ok(paragraphs) = item.extract::<Vec<Bound<'py, PyString>>>() {
            let texts = paragraphs
                .iter()
                .map(|p| p.to_cow().map(|t| t.into_owned()))
                .collect::<PyResult<Vec<String>>>()?;
            articles.push(Article::new(id, texts));
            if keep_objects {
                // A str subclass (numpy.str_, say) goes back as a plain str, as before.
                let exact = paragraphs
                    .iter()
                    .all(|p| p.is_exact_instance_of::<PyString>());
                objects.push(exact.then_some(paragraphs));
            }
        } else {
            return Err(PyTypeError::new_err(format!(
                "article {i}: expected a str or a list of paragraph strs, got {}",
                item.get_type().name()?
            )));
        }
    }
    Ok((articles, objects))
}

/// The keys of `tag`'s dicts, interned once per call.
struct Keys<'py> {
    id: Bound<'py, PyString>,
    position: Bound<'py, PyString>,
    text: Bound<'py, PyString>,
    label: Bound<'py, PyString>,
    confidence: Bound<'py, PyString>,
    probabilities: Bound<'py, PyString>,
    pieces: Bound<'py, PyString>,
    start: Bound<'py, PyString>,
    end: Bound<'py, PyString>,
}

impl<'py> Keys<'py> {
    fn new(py: Python<'py>) -> Self {
        Keys {
            id: intern!(py, "id").clone(),
            position: intern!(py, "position").clone(),
            text: intern!(py, "text").clone(),
            label: intern!(py, "label").clone(),
            confidence: intern!(py, "confidence").clone(),
            probabilities: intern!(py, "probabilities").clone(),
            pieces: intern!(py, "pieces").clone(),
            start: intern!(py, "start").clone(),
            end: intern!(py, "end").clone(),
        }
    }
}

/// Holds Python's cyclic garbage collector off while `tag` builds its result, and turns
/// it back on when dropped (if it was on). Every dict and list made counts towards the
/// collector's thresholds, so building 100k dicts ran hundreds of collections that found
/// nothing (the result holds no cycles): about a quarter of `tag`'s time on one thread.
/// The GIL is held throughout, and no Python code runs meanwhile.
struct GcPause<'py>(Option<Bound<'py, PyModule>>);

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import(intern!(py, "gc"))?;
        if gc.call_method0(intern!(py, "isenabled"))?.is_truthy()? {
            gc.call_method0(intern!(py, "disable"))?;
            Ok(GcPause(Some(gc)))
        } else {
            Ok(GcPause(None))
        }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.0 {
            if let Err(err) = gc.call_method0(intern!(gc.py(), "enable")) {
                err.write_unraisable(gc.py(), None);
            }
        }
    }
}

#[pymethods]
impl Model {
    /// Model(path=None, prior_shift=None): the built-in model, or the `.chaff` file at
    /// `path`.
    ///
    /// prior_shift (0 to 2) replaces the model's own (the built-in model's is 0.25): how
    /// far tagging moves from the training data's label frequencies towards equal ones.
    /// Raise it for pages richer in appeals or captions than the training data, lower
    /// it for pages poorer in them.
    ///
    /// Raises OSError when the file cannot be read and ChaffError when it is not a
    /// chaff model or the shift is out of range.
    #[new]
    #[pyo3(signature = (path=None, prior_shift=None))]
    fn new(py: Python<'_>, path: Option<PathBuf>, prior_shift: Option<f32>) -> PyResult<Self> {
        let model = py
            .detach(|| {
                let mut model = match &path {
                    Some(p) => chaff::Model::load(p)?,
                    None => chaff::Model::builtin()?,
                };
                if let Some(shift) = prior_shift {
                    model.set_prior_shift(shift)?;
                }
                Ok(model)
            })
            .map_err(to_py)?;
        Ok(Model::wrap(
            model,
            path.map(|p| p.to_string_lossy().into_owned()),
        ))
    }

    /// Model.from_bytes(data, name="<bytes>"): a model from the bytes of a `.chaff`
    /// file (as `to_bytes` gives them); `name` is shown in error messages.
    #[staticmethod]
    #[pyo3(signature = (data, name="<bytes>"))]
    fn from_bytes(py: Python<'_>, data: &[u8], name: &str) -> PyResult<Self> {
        let model = py
            .detach(|| chaff::Model::from_bytes(data, name))
            .map_err(to_py)?;
        Ok(Model::wrap(model, Some(name.to_string())))
    }

    /// The bytes of the model's `.chaff` file.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let bytes = py.detach(|| self.model.to_bytes());
        PyBytes::new(py, &bytes)
    }

    /// save(path): writes the model to a `.chaff` file (written aside and renamed into
    /// place). Raises OSError when it cannot be written.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| self.model.save(&path)).map_err(to_py)
    }

    /// The prior shift the model tags with (see the constructor).
    #[getter]
    fn prior_shift(&self) -> f32 {
        self.model.prior_shift()
    }

    /// The model's labels, in the order of predict's probability columns; the first is
    /// `reporting`.
    #[getter]
    fn labels(&self) -> Vec<String> {
        self.model.labels().names().to_vec()
    }

    /// tag(articles, pieces=False, ids=None) -> list of lists of dicts.
    ///
    /// One list per article, one dict per paragraph in page order, with keys
    /// `position` (int), `text`, `label`, `confidence` (the label's probability) and
    /// `probabilities` (every label's, in `labels` order). With `ids` (one str per
    /// article), each dict also has `id`, handy once rows are flattened into a table.
    ///
    /// pieces=True also cuts paragraphs that a scraper glued together from parts with
    /// different labels: such a dict gets `pieces`, a list of dicts with `text`, `label`,
    /// `confidence`, `start` and `end` (byte offsets into the paragraph's UTF-8 text).
    ///
    /// Updates the model's repetition counts (see the class help).
    #[pyo3(signature = (articles, pieces=false, ids=None))]
    fn tag<'py>(
        &self,
        py: Python<'py>,
        articles: &Bound<'py, PyAny>,
        pieces: bool,
        ids: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let with_ids = ids.is_some();
        let (parsed, objects) = self::articles(articles, ids, true)?;
        // The tagged articles borrow their texts from `parsed`: nothing is copied on the
        // way out of the GIL-free section.
        let tagged = self.with_tags(py, &parsed, pieces, |tagged| tagged)?;
        // Building the dicts is the one part that holds the GIL (it took a third of the
        // call on news paragraphs before these measures): keys are interned, each label
        // is one str object shared by every dict, an article's id is one str, paragraphs
        // given as strs come back as the very same objects, and the cyclic collector
        // waits until the result is built.
        let keys = Keys::new(py);
        let _paused = GcPause::new(py)?;
        let labels: Vec<Bound<'py, PyString>> = self
            .model
            .labels()
            .names()
            .iter()
            .map(|name| PyString::intern(py, name))
            .collect();
        let label = |l: &chaff::Label| -> Bound<'py, PyString> {
            match labels.get(l.index()) {
                Some(obj) => obj.clone(),
                None => PyString::new(py, l.name()),
            }
        };
        let mut out = Vec::with_capacity(tagged.len());
        for (article, given) in tagged.iter().zip(objects) {
            let id = with_ids.then(|| PyString::new(py, article.id));
            let mut paragraphs = Vec::with_capacity(article.paragraphs.len());
            for (i, p) in article.paragraphs.iter().enumerate() {
                let d = PyDict::new(py);
                if let Some(id) = &id {
                    d.set_item(&keys.id, id)?;
                }
                d.set_item(&keys.position, p.position)?;
                match given.as_ref().and_then(|g| g.get(i)) {
                    Some(text) => d.set_item(&keys.text, text)?,
                    None => d.set_item(&keys.text, p.text)?,
                }
                d.set_item(&keys.label, label(&p.label))?;
                d.set_item(&keys.confidence, p.confidence)?;
                d.set_item(&keys.probabilities, PyList::new(py, &p.probabilities)?)?;
                if pieces && !p.pieces.is_empty() {
                    let mut list = Vec::with_capacity(p.pieces.len());
                    for piece in &p.pieces {
                        let pd = PyDict::new(py);
                        pd.set_item(&keys.text, piece.text)?;
                        pd.set_item(&keys.label, label(&piece.label))?;
                        pd.set_item(&keys.confidence, piece.confidence)?;
                        pd.set_item(&keys.start, piece.range.start)?;
                        pd.set_item(&keys.end, piece.range.end)?;
                        list.push(pd);
                    }
                    d.set_item(&keys.pieces, PyList::new(py, list)?)?;
                }
                paragraphs.push(d);
            }
            out.push(PyList::new(py, paragraphs)?);
        }
        PyList::new(py, out)
    }

    /// clean(articles, keep=["reporting"], pieces=False) -> list of str.
    ///
    /// Each article reduced to its paragraphs whose label is in `keep`, joined by blank
    /// lines ("" when none is kept). With pieces=True a glued paragraph keeps the text of
    /// its kept pieces. Raises ChaffError for a label the model does not know.
    ///
    /// Updates the model's repetition counts (see the class help).
    #[pyo3(signature = (articles, keep=None, pieces=false))]
    fn clean(
        &self,
        py: Python<'_>,
        articles: &Bound<'_, PyAny>,
        keep: Option<Vec<String>>,
        pieces: bool,
    ) -> PyResult<Vec<String>> {
        let keep = keep.unwrap_or_else(|| vec![chaff::REPORTING.to_string()]);
        self.check_labels(&keep)?;
        let (parsed, _) = self::articles(articles, None, false)?;
        let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
        self.with_tags(py, &parsed, pieces, |tagged| {
            tagged.iter().map(|a| a.clean(&keep)).collect()
        })
    }

    /// predict(paragraphs) -> (labels, probabilities).
    ///
    /// Scores each paragraph on its own, without the article around it or the repetition
    /// counts (so results do not depend on what was tagged before). `labels` is the list
    /// of the most probable label of each paragraph; `probabilities` is a float32 numpy
    /// array of shape (len(paragraphs), len(model.labels)), columns in `model.labels`
    /// order.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        paragraphs: Vec<String>,
    ) -> PyResult<(Vec<String>, Bound<'py, PyArray2<f32>>)> {
        let width = self.model.labels().names().len();
        let probs = py.detach(|| {
            let texts: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
            self.model.predict(&texts)
        });
        let names = self.model.labels().names();
        let labels = probs
            .iter()
            .map(|row| {
                let best = (0..row.len())
                    .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                    .unwrap_or(0);
                names[best].clone()
            })
            .collect();
        let flat: Vec<f32> = probs.into_iter().flatten().collect();
        let array = numpy::PyArray1::from_vec(py, flat).reshape([paragraphs.len(), width])?;
        Ok((labels, array))
    }

    /// Pickles as the built-in model's name or the model's bytes, never the repetition
    /// counts: engines (datatrove, Spark) ship models to their workers this way.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let class = py.get_type::<Model>();
        match &self.path {
            None => (class, (None::<String>, self.model.prior_shift())).into_pyobject(py),
            Some(path) => {
                let from_bytes = class.getattr("from_bytes")?;
                (from_bytes, (self.to_bytes(py), path.as_str())).into_pyobject(py)
            }
        }
    }

    fn __repr__(&self) -> String {
        match &self.path {
            None => "chaff.Model()".to_string(),
            Some(path) => format!("chaff.Model({path:?})"),
        }
    }
}

/// The compiled core of the `chaff` package; use it through `chaff`.
#[pymodule]
fn _chaff(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    m.add("ChaffError", m.py().get_type::<ChaffError>())?;
    Ok(())
}
