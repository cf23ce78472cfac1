//! Certificate ids: 125 random bits written in Crockford's base32, grouped
//! for reading aloud and typing (`FH-7KQ2M-…`, five groups of five), and
//! read back leniently: case, spaces and the letters people confuse with
//! digits (O for 0, I and L for 1) do not matter.

/// Crockford's alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PREFIX: &str = "FH";
const GROUPS: usize = 5;
const GROUP_LEN: usize = 5;
/// Random bytes an id is drawn from (only the first 125 bits are used).
pub const RANDOM_BYTES: usize = 16;

/// The id for `random` bytes (from the operating system's generator).
pub fn format_id(random: &[u8; RANDOM_BYTES]) -> String {
    let mut bits = u128::from_be_bytes(*random);
    let mut out = String::from(PREFIX);
    for _ in 0..GROUPS {
        out.push('-');
        for _ in 0..GROUP_LEN {
            out.push(char::from(ALPHABET[(bits >> 123) as usize]));
            bits <<= 5;
        }
    }
    out
}

/// The canonical id for what someone typed or pasted, or `None` when it
/// cannot be one (so a lookup is never attempted with junk).
pub fn normalise(typed: &str) -> Option<String> {
    let mut symbols = String::with_capacity(GROUPS * GROUP_LEN);
    let upper = typed.trim().to_ascii_uppercase();
    let rest = upper.strip_prefix(PREFIX)?;
    for c in rest.chars() {
        match c {
            '-' | ' ' => {}
            'O' => symbols.push('0'),
            'I' | 'L' => symbols.push('1'),
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => symbols.push(c),
            _ => return None,
        }
    }
    if symbols.len() != GROUPS * GROUP_LEN {
        return None;
    }
    let mut out = String::from(PREFIX);
    for (i, c) in symbols.chars().enumerate() {
        if i % GROUP_LEN == 0 {
            out.push('-');
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_five_groups_of_five_crockford_symbols() {
        let id = format_id(&[0xff; RANDOM_BYTES]);
        assert_eq!(id, "FH-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
        assert_eq!(format_id(&[0; RANDOM_BYTES]), "FH-00000-00000-00000-00000-00000");
        let mut one = [0; RANDOM_BYTES];
        one[0] = 0b0000_1000; // the fifth bit: the first symbol is 1
        assert_eq!(format_id(&one), "FH-10000-00000-00000-00000-00000");
    }

    #[test]
    fn different_bytes_give_different_ids() {
        let mut seen = std::collections::HashSet::new();
        for b in 0..=255u8 {
            let mut random = [0; RANDOM_BYTES];
            random[(b % 15) as usize] = b;
            random[15] = b;
            seen.insert(format_id(&random));
        }
        assert!(seen.len() >= 250, "{}", seen.len());
    }

    #[test]
    fn typed_ids_are_read_leniently_and_junk_is_refused() {
        let id = "FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRSTV";
        assert_eq!(normalise(id).as_deref(), Some(id));
        assert_eq!(normalise(" fh 7kq2m a0b1c defgh jkmnp qrstv ").as_deref(), Some(id));
        assert_eq!(normalise("FH-7KQ2M-AOBIC-DEFGH-JKMNP-QRSTV").as_deref(), Some(id));
        assert_eq!(normalise("FH-7KQ2M-A0BLC-DEFGH-JKMNP-QRSTV").as_deref(), Some(id));
        for junk in [
            "",
            "FH",
            "7KQ2M-A0B1C-DEFGH-JKMNP-QRSTV",
            "FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRST",
            "FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRSTVW",
            "FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRSTU",
            "FH-7KQ2M-A0B1C-DEFGH-JKMNP-QRST$",
            "FH-ÄKQ2M-A0B1C-DEFGH-JKMNP-QRSTV",
            "{\"$ne\":1}",
        ] {
            assert_eq!(normalise(junk), None, "{junk}");
        }
    }

    #[test]
    fn every_formatted_id_reads_back_as_itself() {
        for b in 0..=255u8 {
            let id = format_id(&[b; RANDOM_BYTES]);
            assert_eq!(normalise(&id).as_deref(), Some(id.as_str()));
        }
    }
}
