//! Arbitrary bytes into `decode_metadata`: it must never panic, and whatever it accepts must
//! round-trip through `encode_metadata`.

#![no_main]

use e6data_odbc::wire::{decode_metadata, encode_metadata};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(meta) = decode_metadata(data) else {
        return;
    };
    // Lenient inputs (4-byte UTF-8, lone surrogates) can grow when re-encoded past 65535 bytes.
    if let Ok(bytes) = encode_metadata(&meta) {
        assert_eq!(
            decode_metadata(&bytes).expect("encoded metadata decodes"),
            meta
        );
    }
});
