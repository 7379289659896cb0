//! Arbitrary bytes into `decode_chunk`: it must never panic, and whatever it accepts must be a
//! valid chunk that re-encodes to bytes decoding to the same thing.

#![no_main]

use e6data_odbc::wire::{decode_chunk, encode_chunk};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(chunk) = decode_chunk(data) else {
        return;
    };
    chunk.validate().expect("a decoded chunk is valid");
    for column in &chunk.columns {
        for row in 0..chunk.rows {
            let _ = column.value(row);
        }
    }
    // Compare re-encoded bytes rather than models: NaN payloads are not equal to themselves.
    let bytes = encode_chunk(&chunk).expect("a decoded chunk encodes");
    let again = decode_chunk(&bytes).expect("an encoded chunk decodes");
    assert_eq!(encode_chunk(&again).expect("re-encodes"), bytes);
});
