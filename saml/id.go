package saml

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
)

// IDBytes is the number of random bytes in an ID made by [NewID]: 160 bits,
// well above the 128 bits SAML core §1.3.4 asks for.
const IDBytes = 20

// NewID returns a fresh xs:ID for a message or assertion: "_" followed by the
// hex encoding of [IDBytes] bytes read from r (crypto/rand.Reader if r is
// nil). The leading underscore keeps the value a valid NCName, which must not
// start with a digit.
func NewID(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [IDBytes]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("saml: reading random ID bytes: %w", err)
	}
	return "_" + hex.EncodeToString(b[:]), nil
}
