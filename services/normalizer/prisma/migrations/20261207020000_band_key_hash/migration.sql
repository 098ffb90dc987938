-- LSH band keys as 64-bit hashes (hashtextextended of the key text, seed 0) instead of the text
-- itself ("mh192r3s12.5:3f843b7b80893486", 36 bytes): a band row and its primary-key entry shrink
-- by about a third, and every item writes and probes 64 of them. Two keys sharing a hash only make
-- an extra candidate, which the signature comparison then rejects. Existing rows are converted in
-- place, so a store keeps finding the near-duplicates it found before.
ALTER TABLE fingerprint_bands ALTER COLUMN band_key TYPE bigint USING hashtextextended(band_key, 0);
