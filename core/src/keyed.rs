//! Hashing with a random key, for every hash table whose keys come from the
//! input (unit ids in a register, estate and vote ids in a batch, candidates
//! in an election): no one who writes the input can choose keys that all
//! hash alike and make each lookup a long probe. The hash is a folded
//! multiplication with the key xored into both factors: in a register's
//! text table, about one instruction a lookup more than without the key.

use std::hash::{BuildHasher, Hasher};

/// The lengths of the texts hashed (and compared, in a register's text
/// table) in two words each, without a call: most unit ids and owner names.
pub(crate) const SHORT_MIN: usize = 4;
/// See [`SHORT_MIN`].
pub(crate) const SHORT_MAX: usize = 16;

/// A hash key: two words mixed into both factors of each multiplication,
/// drawn anew for every table from the standard library's random keys
/// (random in every process where the system gives randomness), so that
/// neither factor can be chosen to be zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(pub(crate) [u64; 2]);

impl Key {
    /// A key of its own, for one table.
    pub(crate) fn random() -> Key {
        let state = std::collections::hash_map::RandomState::new();
        Key([state.hash_one(0u8), state.hash_one(1u8)])
    }

    /// The hash of a text: its bytes read a word at a time and mixed by
    /// folded multiplication. Its low bits place a text in a table, its
    /// high bits tell texts in the same place apart.
    pub(crate) fn hash(self, b: &[u8]) -> u64 {
        match b.len() {
            SHORT_MIN..=SHORT_MAX => self.hash_short(b),
            _ => self.hash_other(b),
        }
    }

    /// [`Key::hash`] of a text of [`SHORT_MIN`] to [`SHORT_MAX`] bytes: its
    /// first and its last bytes, which together are all of it, with its length.
    #[inline(always)]
    pub(crate) fn hash_short(self, b: &[u8]) -> u64 {
        let n = b.len();
        let (first, last) = if n >= 8 {
            (word(b, 0), word(b, n - 8))
        } else {
            (u64::from(half(b, 0)), u64::from(half(b, n - 4)))
        };
        self.fold(first, last ^ n as u64)
    }

    /// [`Key::hash`] of a text of under [`SHORT_MIN`] or over [`SHORT_MAX`] bytes.
    pub(crate) fn hash_other(self, b: &[u8]) -> u64 {
        let n = b.len();
        let byte = |at: usize| b.get(at).map_or(0, |&c| u64::from(c));
        if n < SHORT_MIN {
            // all of its bytes (none when it is empty)
            let bytes = if n == 0 {
                0
            } else {
                byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16
            };
            return self.fold(bytes, n as u64);
        }
        // its 16-byte blocks before its last 16 bytes, then those
        let mut h = n as u64;
        let mut at = 0;
        while at + 16 < n {
            h = self.fold(word(b, at), word(b, at + 8) ^ h);
            at += 16;
        }
        self.fold(word(b, n - 16), word(b, n - 8) ^ h)
    }

    /// Multiplies two words, each with its half of the key, into 128 bits
    /// and folds the halves of the product together.
    #[inline(always)]
    fn fold(self, a: u64, b: u64) -> u64 {
        let product = u128::from(a ^ self.0[0]) * u128::from(b ^ self.0[1]);
        product as u64 ^ (product >> 64) as u64
    }
}

/// A hash map keyed at random (see the module): for ids that come from
/// the input.
pub(crate) type KeyedMap<K, V> = std::collections::HashMap<K, V, Keyed>;

/// The [`BuildHasher`] of a [`KeyedMap`]: a [`Key`] of its own for each map.
#[derive(Debug, Clone)]
pub(crate) struct Keyed(Key);

impl Default for Keyed {
    fn default() -> Keyed {
        Keyed(Key::random())
    }
}

impl BuildHasher for Keyed {
    type Hasher = KeyedHasher;

    fn build_hasher(&self) -> KeyedHasher {
        KeyedHasher { key: self.0, hash: 0 }
    }
}

/// The [`Hasher`] of a [`KeyedMap`]: each text or number written is folded
/// into the hash so far.
#[derive(Debug)]
pub(crate) struct KeyedHasher {
    key: Key,
    hash: u64,
}

impl Hasher for KeyedHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.hash = self.key.fold(self.hash, self.key.hash(bytes));
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.hash = self.key.fold(self.hash, i);
    }

    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The 8 bytes of `b` from `at`, little-endian (0 past its end).
#[inline(always)]
pub(crate) fn word(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The 4 bytes of `b` from `at`, little-endian (0 past its end).
#[inline(always)]
pub(crate) fn half(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, u32::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_a_key_of_its_own() {
        let keys: Vec<Key> = (0..4).map(|_| Key::random()).collect();
        assert!(keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k)), "{keys:?}");
        let (a, b) = (Keyed::default(), Keyed::default());
        assert_ne!(a.hash_one("1-101"), b.hash_one("1-101"));
        assert_eq!(a.hash_one("1-101"), a.hash_one("1-101"));
    }

    #[test]
    fn a_key_tells_apart_texts_of_every_length_that_differ_in_one_byte_or_in_length() {
        let key = Key::random();
        let text: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=text.len() {
            let a = &text[..n];
            if n < text.len() {
                assert_ne!(key.hash(a), key.hash(&text[..n + 1]), "{n}");
            }
            for at in 0..n {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert_ne!(key.hash(a), key.hash(&b), "{n} {at}");
            }
        }
    }

    proptest::proptest! {
        /// A keyed map holds what a map with the standard hasher holds, for
        /// text keys and for keys of numbers (an election's candidate sets).
        #[test]
        fn a_keyed_map_is_a_map(
            texts in proptest::collection::vec("[a-c0-9-]{0,20}", 0..200),
            sets in proptest::collection::vec(proptest::collection::vec(0u32..6, 0..4), 0..200),
        ) {
            let mut keyed: KeyedMap<&str, usize> = KeyedMap::default();
            let mut plain = std::collections::HashMap::new();
            for (i, t) in texts.iter().enumerate() {
                proptest::prop_assert_eq!(keyed.insert(t.as_str(), i), plain.insert(t.as_str(), i));
            }
            proptest::prop_assert!(plain.iter().all(|(t, i)| keyed.get(t) == Some(i)) && keyed.len() == plain.len());
            let mut keyed: KeyedMap<&[u32], usize> = KeyedMap::default();
            let mut plain = std::collections::HashMap::new();
            for (i, s) in sets.iter().enumerate() {
                proptest::prop_assert_eq!(keyed.insert(s.as_slice(), i), plain.insert(s.as_slice(), i));
            }
            proptest::prop_assert!(plain.iter().all(|(s, i)| keyed.get(s) == Some(i)) && keyed.len() == plain.len());
        }
    }
}
