//! Arbitrary bytes as a model file: loading must return Ok or Err, never
//! panic, and whatever loads must predict, save, and load back unchanged.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nn::io::ModelInfo;
use nn::ndarray::Array2;
use nn::network::Network;

fuzz_target!(|bytes: &[u8]| {
    let Ok((net, info)) = Network::from_safetensors(bytes) else {
        return;
    };
    let x = Array2::from_elem((2, net.inputs()), 0.5);
    let prediction = net.predict(&x).expect("a loaded network predicts");
    assert_eq!(prediction.dim(), (2, net.outputs()));
    let saved = net
        .to_safetensors(&info)
        .expect("a loaded network can be saved");
    let (net2, info2) = Network::from_safetensors(&saved).expect("a saved network loads");
    assert_eq!(net2, net);
    assert_same(&info2, &info);
});

/// Equal, with the optimizer's moments compared bit for bit: they may hold
/// NaN, which `==` never calls equal.
fn assert_same(a: &ModelInfo, b: &ModelInfo) {
    let bits = |info: &ModelInfo| {
        info.state.as_ref().map(|s| {
            let (first, second) = s.optimizer.moments();
            let all = first.iter().chain(second);
            let values: Vec<u64> = all.flat_map(|m| m.iter().map(|v| v.to_bits())).collect();
            (s.optimizer.name(), s.optimizer.t(), s.epochs, first.len(), second.len(), values)
        })
    };
    assert_eq!(bits(a), bits(b));
    let without_state = |info: &ModelInfo| ModelInfo {
        state: None,
        ..info.clone()
    };
    assert_eq!(without_state(a), without_state(b));
}
