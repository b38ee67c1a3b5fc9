package policy

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxPasswordBytes is the largest password accepted, in bytes of UTF-8,
// before and after normalisation. Longer input is an error (ErrTooLong),
// never silently cut.
const MaxPasswordBytes = 1024

// Normalization names the Unicode normalisation applied before checking
// and hashing; the storage layer records it with the hash.
const Normalization = "NFKC"

// Normalize validates a password and returns its NFKC form (NIST SP
// 800-63B rev 4, 3.1.1.2). It rejects invalid UTF-8 (ErrInvalidUTF8), NUL
// bytes (ErrNULByte) and input over MaxPasswordBytes (ErrTooLong).
func Normalize(password string) (string, error) {
	if err := CheckRaw(password); err != nil {
		return "", err
	}
	n := norm.NFKC.String(password)
	if len(n) > MaxPasswordBytes {
		return "", fmt.Errorf("%w: %d bytes after NFKC, limit %d", ErrTooLong, len(n), MaxPasswordBytes)
	}
	return n, nil
}

// CheckRaw validates a password without normalising it: size, UTF-8 and
// NUL bytes. Verifiers of hashes imported without normalisation use it.
func CheckRaw(password string) error {
	if len(password) > MaxPasswordBytes {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLong, len(password), MaxPasswordBytes)
	}
	if !utf8.ValidString(password) {
		return ErrInvalidUTF8
	}
	if strings.IndexByte(password, 0) >= 0 {
		return ErrNULByte
	}
	return nil
}

// Fold lower-cases s and removes diacritics ("Nováková" -> "novakova"), the
// form in which detectors compare words.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
