//! Every way a model file can be wrong is an error that names the fault and
//! says what to do; none is a panic, and none costs memory the file does
//! not justify.

use std::collections::BTreeMap;

use nn::io::ModelInfo;
use nn::prelude::*;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

/// A 2-3-1 network with a saved Adam state and a scaler: twelve tensors,
/// ten keys.
fn valid() -> Vec<u8> {
    let data = data::study_sleep();
    let builder = Network::builder(2)
        .dense(3, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .seed(4);
    let mut net = builder.config().build().unwrap();
    let mut state = TrainState::default();
    let history = Trainer::new(Loss::Mse, Optimizer::adam(0.05))
        .epochs(3)
        .fit_from(&mut net, &data, &mut state)
        .unwrap();
    let info = ModelInfo::new(builder.config(), &history)
        .with_scaler(data::MinMax::fit(&data.x).unwrap().into())
        .with_state(state);
    net.to_safetensors(&info).unwrap()
}

/// The same file in layout 1, as the crate wrote it before the run was one
/// RunConfig: the run's facts as keys of their own.
fn valid_layout1() -> Vec<u8> {
    let mut p = Parts::of(&valid());
    p.meta.remove("run.config");
    p.meta.remove("run.scaler");
    for (key, value) in [
        ("nn.format", "1"),
        ("run.seed", "4"),
        ("run.loss", "mse"),
        ("run.batch_size", "3"),
        ("optimizer.name", "adam"),
        ("optimizer.learning_rate", "0.05"),
        ("optimizer.beta1", "0.9"),
        ("optimizer.beta2", "0.999"),
        ("optimizer.epsilon", "1e-8"),
    ] {
        p.meta.insert(key.into(), value.into());
    }
    p.bytes()
}

/// A model file taken apart, to be changed and put together again.
struct Parts {
    meta: BTreeMap<String, String>,
    tensors: BTreeMap<String, (Dtype, Vec<usize>, Vec<u8>)>,
}

impl Parts {
    fn of(bytes: &[u8]) -> Parts {
        let (_, header) = SafeTensors::read_metadata(bytes).unwrap();
        let file = SafeTensors::deserialize(bytes).unwrap();
        Parts {
            meta: header.metadata().clone().unwrap().into_iter().collect(),
            tensors: file
                .iter()
                .map(|(n, t)| {
                    (
                        n.to_string(),
                        (t.dtype(), t.shape().to_vec(), t.data().to_vec()),
                    )
                })
                .collect(),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let views = self.tensors.iter().map(|(n, (dtype, shape, data))| {
            (
                n.as_str(),
                TensorView::new(*dtype, shape.clone(), data).unwrap(),
            )
        });
        safetensors::serialize(views, Some(self.meta.clone().into_iter().collect())).unwrap()
    }

    fn set(mut self, key: &str, value: &str) -> Self {
        self.meta.insert(key.into(), value.into());
        self
    }
}

/// The error for these bytes, as text; fails the test if they load.
fn error(bytes: &[u8]) -> String {
    match Network::from_safetensors(bytes) {
        Ok(_) => panic!("{} bytes loaded, but should have been refused", bytes.len()),
        Err(e) => e.to_string(),
    }
}

/// Asserts that the error for `bytes` contains every one of `parts`.
#[track_caller]
fn refused(bytes: &[u8], parts: &[&str]) {
    let err = error(bytes);
    for p in parts {
        assert!(err.contains(p), "expected {p:?} in: {err}");
    }
}

/// A file with this header text and `data` zero bytes of tensor data.
fn raw(header: &str, data: usize) -> Vec<u8> {
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend(header.as_bytes());
    bytes.resize(bytes.len() + data, 0);
    bytes
}

#[test]
fn the_valid_files_load() {
    let (net, info) = Network::from_safetensors(&valid()).unwrap();
    assert_eq!(net.sizes(), [2, 3, 1]);
    assert_eq!(info.state.unwrap().optimizer.moments().1.len(), 4);
    let (old, info) = Network::from_safetensors(&valid_layout1()).unwrap();
    assert_eq!(old, net);
    assert_eq!(info.run.unwrap().training.optimizer, Optimizer::adam(0.05));
}

#[test]
fn an_empty_file_is_refused() {
    refused(
        &[],
        &["the file is empty (0 bytes)", "save the network again"],
    );
}

#[test]
fn a_file_truncated_at_any_byte_is_refused() {
    let bytes = valid();
    for cut in 0..bytes.len() {
        let err = error(&bytes[..cut]);
        assert!(
            err.contains("save the network again"),
            "cut at {cut}: {err}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    refused(&longer, &["left over at the end"]);
}

#[test]
fn a_truncated_file_on_disk_is_refused_with_its_path() {
    let path =
        std::env::temp_dir().join(format!("nn-truncated-{}.safetensors", std::process::id()));
    let bytes = valid();
    std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
    let err = Network::load(&path).unwrap_err().to_string();
    assert!(err.starts_with(&path.display().to_string()), "{err}");
    assert!(err.contains("truncated"), "{err}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn files_that_are_not_safetensors_are_refused() {
    refused(b"hello", &["only 5 bytes", "not a model file"]);
    refused(
        b"epoch,loss\n1,0.5\n2,0.25\n",
        &["claims to be", "not a safetensors file"],
    );
    refused(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        &["claims to be", "bytes long"],
    );
    refused(&raw("[1, 2, 3]", 0), &["does not start with '{'"]);
    refused(&raw("{\"a\": 1", 0), &["not a JSON object of tensors"]);
    refused(&raw("{\"w\": 1}", 0), &["tensor w's header entry is not"]);
    refused(
        &raw(
            r#"{"w":{"dtype":"F65","shape":[1],"data_offsets":[0,8]}}"#,
            8,
        ),
        &["tensor w's header entry is not", "unknown variant `F65`"],
    );
    let mut latin1 = raw("{\"ab\": 1}", 0);
    latin1[10] = 0xff;
    refused(&latin1, &["not UTF-8"]);
}

#[test]
fn headers_claiming_huge_sizes_are_refused_without_allocating() {
    for n in [u64::MAX, 1 << 40, 100_000_001] {
        let mut bytes = n.to_le_bytes().to_vec();
        bytes.extend(b"{}");
        refused(
            &bytes,
            &[
                &format!("claims to be {n} bytes long"),
                "only 2 bytes follow",
            ],
        );
    }
    let big = "{".to_string() + &" ".repeat(17 << 20) + "}";
    refused(&raw(&big, 0), &["more than the 16777216 any model"]);
}

#[test]
fn tensors_claiming_huge_byte_ranges_are_refused() {
    // Eight tensors of 2⁶¹ − 1 bytes: their ends add up past 2⁶⁴.
    let size = (1u64 << 61) - 1;
    let entries: Vec<String> = (0..8)
        .map(|i| {
            format!(
                r#""t{i}":{{"dtype":"U8","shape":[{size}],"data_offsets":[{},{}]}}"#,
                i * size,
                (i + 1) * size
            )
        })
        .collect();
    refused(
        &raw(&format!("{{{}}}", entries.join(",")), 16),
        &[
            "tensor t0 claims bytes 0..2305843009213693951",
            "only 16 bytes of data",
        ],
    );
    // A shape whose element count overflows, in a range that exists.
    refused(
        &raw(
            r#"{"w":{"dtype":"F64","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}"#,
            8,
        ),
        &["tensor w has shape [4294967296, 4294967296, 4294967296] of F64, which does not fill its 8 bytes"],
    );
    refused(
        &raw(
            r#"{"w":{"dtype":"F64","shape":[2,2],"data_offsets":[0,8]}}"#,
            8,
        ),
        &["tensor w has shape [2, 2] of F64, which does not fill its 8 bytes"],
    );
    refused(
        &raw(
            r#"{"w":{"dtype":"F64","shape":[1],"data_offsets":[8,0]}}"#,
            8,
        ),
        &["tensor w claims bytes 8..0"],
    );
}

#[test]
fn a_file_without_metadata_is_refused() {
    refused(
        &raw(
            r#"{"layers.0.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}}"#,
            8,
        ),
        &["no metadata", "docs/model-files.md"],
    );
}

#[test]
fn wrong_dtypes_are_refused_naming_the_tensor() {
    let mut p = Parts::of(&valid());
    let (_, shape, data) = p.tensors["layers.1.weight"].clone();
    let f32s: Vec<u8> = data
        .chunks(8)
        .flat_map(|b| (f64::from_le_bytes(b.try_into().unwrap()) as f32).to_le_bytes())
        .collect();
    p.tensors
        .insert("layers.1.weight".into(), (Dtype::F32, shape, f32s));
    refused(
        &p.bytes(),
        &[
            "tensor layers.1.weight has dtype F32",
            "astype(numpy.float64)",
        ],
    );
}

#[test]
fn wrong_shapes_are_refused_naming_the_tensor() {
    for (name, shape) in [
        ("layers.0.weight", vec![3, 2]),
        ("layers.0.weight", vec![6]),
        ("layers.0.bias", vec![3]),
        ("layers.0.bias", vec![3, 1]),
        ("optimizer.second.layers.1.weight", vec![1, 3]),
    ] {
        let mut p = Parts::of(&valid());
        p.tensors.get_mut(name).unwrap().1 = shape.clone();
        refused(
            &p.bytes(),
            &[
                &format!("tensor {name} has shape {shape:?}"),
                "the 2-3-1 network",
            ],
        );
    }
}

#[test]
fn missing_tensors_are_refused_naming_them() {
    for name in [
        "layers.0.weight",
        "layers.1.bias",
        "optimizer.first.layers.0.bias",
    ] {
        let mut p = Parts::of(&valid());
        p.tensors.remove(name);
        refused(&p.bytes(), &[&format!("tensor {name} is missing")]);
    }
    let p = Parts::of(&valid()).set("architecture.bias", "true,true");
    let mut p = p;
    p.tensors.remove("layers.1.bias");
    refused(&p.bytes(), &["tensor layers.1.bias is missing", "2-3-1"]);
}

#[test]
fn extra_tensors_are_refused_naming_them() {
    let mut p = Parts::of(&valid());
    let w = p.tensors["layers.1.weight"].clone();
    p.tensors.insert("layers.2.weight".into(), w);
    refused(
        &p.bytes(),
        &[
            "tensor layers.2.weight is not part of this model",
            "layers.0.weight, layers.0.bias",
        ],
    );

    let p = Parts::of(&valid()).set("architecture.bias", "true,false");
    refused(
        &p.bytes(),
        &["tensor layers.1.bias is not part of this model"],
    );

    let mut p = Parts::of(&valid());
    p.meta.remove("optimizer.steps");
    p.meta.remove("optimizer.epochs");
    refused(
        &p.bytes(),
        &["optimizer.first.* tensors but no optimizer.steps"],
    );
}

#[test]
fn unparsable_metadata_is_refused_naming_the_key() {
    let cases: [(&str, &str, &str); 16] = [
        ("nn.format", "3", "written by a newer nn"),
        (
            "nn.format",
            "one",
            "nn.format = \"one\" is not a layout version",
        ),
        (
            "architecture.sizes",
            "2,,1",
            "architecture.sizes = \"2,,1\" is not a list",
        ),
        ("architecture.sizes", "2", "at least two whole numbers"),
        ("architecture.sizes", "2,0,1", "whole numbers ≥ 1"),
        (
            "architecture.sizes",
            "2,3,1,1",
            "architecture.activations has 2 entries but",
        ),
        (
            "architecture.bias",
            "yes,no",
            "layer 1's entry \"yes\" is neither true nor false",
        ),
        (
            "architecture.activations",
            "sigmoid",
            "has 1 entry but architecture.sizes describes 2 layers",
        ),
        ("run.epochs", "ten", "run.epochs = \"ten\""),
        (
            "run.config",
            "{\"training\":",
            "metadata run.config is not a run description (RunConfig) this crate reads (EOF",
        ),
        (
            "run.config",
            r#"{"training":{"loss":"hinge"}}"#,
            "unknown variant `hinge`, expected one of `mse`, `mae`, `binary_crossentropy`",
        ),
        (
            "run.config",
            r#"{"training":{"optimizer":{"name":"adam","learning_rate":0.1,"beta1":1,"beta2":0.9,"epsilon":1e-8}}}"#,
            "metadata run.config holds a setting out of range: invalid beta1 = 1",
        ),
        (
            "run.config",
            r#"{"network":{"inputs":3}}"#,
            "the run description is of the network 3 → 3 (sigmoid) → 1 (sigmoid), with bias, \
             but the network is 2 → 3 (sigmoid) → 1 (sigmoid), with bias",
        ),
        (
            "run.scaler",
            r#"{"kind":"standard","mean":[0],"std":[1]}"#,
            "the scaler was fitted on 1 column, but the network takes 2 inputs",
        ),
        (
            "run.scaler",
            r#"{"kind":"min_max","min":[0,0],"max":[1]}"#,
            "a scaler needs as many maxima as minima, one per column; got 1 maximum for 2 minima",
        ),
        ("optimizer.steps", "many", "optimizer.steps = \"many\""),
    ];
    for (key, value, expected) in cases {
        let p = Parts::of(&valid()).set(key, value);
        refused(&p.bytes(), &[expected]);
    }
    // Keys of layout 1 are not keys of layout 2: a file mixing them is refused.
    for key in ["run.sed", "run.loss", "optimizer.name"] {
        let p = Parts::of(&valid()).set(key, "x");
        refused(
            &p.bytes(),
            &[&format!(
                "metadata key \"{key}\" is not one this version of nn knows"
            )],
        );
    }
    for key in [
        "nn.format",
        "architecture.sizes",
        "architecture.activations",
        "architecture.bias",
    ] {
        let mut p = Parts::of(&valid());
        p.meta.remove(key);
        refused(&p.bytes(), &[&format!("the metadata has no {key}")]);
    }
    let mut p = Parts::of(&valid());
    p.meta.remove("optimizer.epochs");
    refused(
        &p.bytes(),
        &["has optimizer.steps but not optimizer.epochs"],
    );
}

#[test]
fn unparsable_layout1_metadata_is_refused_naming_the_key() {
    let cases: [(&str, &str, &str); 10] = [
        ("run.seed", "-1", "run.seed = \"-1\" is not a whole number"),
        ("run.epochs", "ten", "run.epochs = \"ten\""),
        ("run.batch_size", "0", "a batch has at least 1 row"),
        ("run.loss", "hinge", "run.loss = \"hinge\" is not a loss"),
        (
            "optimizer.name",
            "rmsprop",
            "optimizer.name = \"rmsprop\" is not an optimizer",
        ),
        (
            "optimizer.learning_rate",
            "fast",
            "optimizer.learning_rate = \"fast\" is not a number",
        ),
        ("optimizer.beta1", "1", "invalid beta1 = 1"),
        (
            "run.sed",
            "42",
            "metadata key \"run.sed\" is not one this version of nn knows",
        ),
        (
            "optimizer.momentum",
            "0.9",
            "optimizer.momentum, which adam does not use",
        ),
        (
            "cli.scaler",
            r#"{"kind":"minmax","shift":[0],"scale":[1]}"#,
            "the scaler was fitted on 1 column, but the network takes 2 inputs",
        ),
    ];
    for (key, value, expected) in cases {
        let p = Parts::of(&valid_layout1()).set(key, value);
        refused(&p.bytes(), &[expected]);
    }
    // Layout 2's keys are not layout 1's.
    let p = Parts::of(&valid_layout1()).set("run.config", "{}");
    refused(
        &p.bytes(),
        &["metadata key \"run.config\" is not one this version of nn knows"],
    );
    let mut p = Parts::of(&valid_layout1());
    p.meta.remove("optimizer.name");
    refused(
        &p.bytes(),
        &["optimizer.learning_rate but no optimizer.name"],
    );
    let mut p = Parts::of(&valid_layout1());
    p.meta.remove("optimizer.beta2");
    refused(
        &p.bytes(),
        &["optimizer.name = \"adam\" but no optimizer.beta2"],
    );
}

#[test]
fn an_unknown_activation_is_refused_naming_the_layer() {
    let p = Parts::of(&valid()).set("architecture.activations", "sigmoid,swish");
    refused(
        &p.bytes(),
        &[
            "layer 2's activation \"swish\" is not one this crate knows",
            "identity, sigmoid, tanh, relu, softmax",
        ],
    );
}

#[test]
fn a_deep_architecture_in_a_file_of_few_tensors_is_refused_early() {
    let layers = 1_000_000;
    let p = Parts::of(&valid())
        .set("architecture.sizes", &vec!["1"; layers + 1].join(","))
        .set("architecture.activations", &vec!["relu"; layers].join(","))
        .set("architecture.bias", &vec!["false"; layers].join(","));
    refused(
        &p.bytes(),
        &["describes 1000000 layers but the file holds only 12 tensors"],
    );
}

#[test]
fn values_that_are_not_finite_are_refused_naming_the_tensor() {
    for (name, value) in [
        ("layers.0.weight", f64::NAN),
        ("layers.1.bias", f64::NEG_INFINITY),
    ] {
        let mut p = Parts::of(&valid());
        let data = &mut p.tensors.get_mut(name).unwrap().2;
        data[..8].copy_from_slice(&value.to_le_bytes());
        refused(
            &p.bytes(),
            &[&format!("tensor {name} holds {value} at [0, 0]")],
        );
    }
}

#[test]
fn long_bad_values_are_cut_short_in_messages() {
    let p = Parts::of(&valid_layout1()).set("run.loss", &"x".repeat(100_000));
    let err = error(&p.bytes());
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
    assert!(err.contains("(100000 bytes)"), "{err}");

    let mut p = Parts::of(&valid());
    let w = p.tensors["layers.1.weight"].clone();
    p.tensors.insert("t".repeat(100_000), w);
    let err = error(&p.bytes());
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
    assert!(err.contains("is not part of this model"), "{err}");
    let header = format!(
        r#"{{"{}":{{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}}}"#,
        "w".repeat(100_000)
    );
    let err = error(&raw(&header, 8));
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
}

#[test]
fn paths_that_are_not_model_files_are_refused() {
    let dir = std::env::temp_dir().join(format!("nn-bad-paths-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let err = Network::load(dir.join("missing.safetensors"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot open the file") && err.contains("check the path"),
        "{err}"
    );
    let err = Network::load(&dir).unwrap_err().to_string();
    assert!(err.contains("not a regular file"), "{err}");
    // A sparse file of 2 GiB: refused by its size, without reading it.
    let huge = dir.join("huge.safetensors");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let err = Network::load(&huge).unwrap_err().to_string();
    assert!(
        err.contains("2147483648 bytes, more than the 1073741824"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
