//! The library's activations, losses and initializers by name, for flags
//! and for TOML files: both read them with the library's own `FromStr`, so
//! a flag and a config file accept exactly the same words.
//!
//! `--help` lists the library's names; the short forms the command took
//! before (`bce`, `xavier-uniform`, `linear`) are accepted too, unlisted.

use std::fmt::Display;
use std::str::FromStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use nn::activation::Activation;
use nn::init::Init;
use nn::loss::Loss;
use serde::{Deserialize, Deserializer};

/// A clap parser that offers `names` (and accepts `aliases`) and reads the
/// choice with `T`'s `FromStr`.
fn named<T>(
    names: impl IntoIterator<Item = &'static str>,
    aliases: &[&'static str],
) -> impl TypedValueParser<Value = T>
where
    T: FromStr<Err = nn::Error> + Clone + Send + Sync + 'static,
{
    let shown = names.into_iter().map(PossibleValue::new);
    let hidden = aliases.iter().map(|a| PossibleValue::new(*a).hide(true));
    PossibleValuesParser::new(shown.chain(hidden)).try_map(|name: String| name.parse::<T>())
}

pub fn activation() -> impl TypedValueParser<Value = Activation> {
    named(Activation::ALL.map(Activation::name), &["linear"])
}

pub fn loss() -> impl TypedValueParser<Value = Loss> {
    named(Loss::ALL.map(Loss::name), &["bce", "cce", "sparse_cce"])
}

pub fn init() -> impl TypedValueParser<Value = Init> {
    let kebab = [
        "standard-normal",
        "xavier-uniform",
        "xavier-normal",
        "he-normal",
    ];
    named(Init::NAMED.map(Init::name), &kebab)
}

/// A TOML value read with `T`'s `FromStr`: `loss = "bce"`.
pub fn parsed<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    let name = String::deserialize(d)?;
    name.parse().map(Some).map_err(serde::de::Error::custom)
}

/// A TOML value that may be one name or a list of them: `activation =
/// "tanh"` and `activation = ["tanh", "relu"]` both work.
pub fn one_or_many<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    use serde::de::Error;
    let items = match toml::Value::deserialize(d)? {
        toml::Value::Array(items) => items,
        one => vec![one],
    };
    items
        .into_iter()
        .map(|item| {
            let name = String::deserialize(item).map_err(D::Error::custom)?;
            name.parse().map_err(D::Error::custom)
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    fn parse<T: Clone + Send + Sync + 'static>(
        parser: impl TypedValueParser<Value = T>,
        word: &str,
    ) -> Result<T, String> {
        Command::new("nn")
            .arg(Arg::new("x").long("x").value_parser(parser))
            .try_get_matches_from(["nn", "--x", word])
            .map(|m| m.get_one::<T>("x").unwrap().clone())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn flags_take_the_librarys_names_and_the_old_short_forms() {
        assert_eq!(parse(activation(), "relu"), Ok(Activation::Relu));
        assert_eq!(parse(activation(), "linear"), Ok(Activation::Identity));
        assert_eq!(parse(loss(), "bce"), Ok(Loss::BinaryCrossEntropy));
        assert_eq!(parse(init(), "xavier-uniform"), Ok(Init::XavierUniform));
        assert_eq!(parse(init(), "he_normal"), Ok(Init::HeNormal));
        let err = parse(loss(), "hinge").unwrap_err();
        assert!(
            err.contains("[possible values: mse, mae, binary_crossentropy,"),
            "{err}"
        );
        assert!(!err.contains("bce"), "aliases are not listed: {err}");
    }
}
