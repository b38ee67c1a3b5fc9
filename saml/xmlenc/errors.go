package xmlenc

import (
	"errors"
	"fmt"
)

// Sentinel errors of package xmlenc. Compare with errors.Is.
var (
	// ErrDecrypt reports that an encrypted element could not be decrypted.
	// Every failure after the algorithm check (no usable key, wrong key, bad
	// OAEP or CBC padding, bad GCM tag, bad base64, structure the decrypter
	// does not accept, plaintext that does not parse or is the wrong element)
	// returns exactly this error, with no detail, so that a peer cannot use
	// the answer as a padding or format oracle. The detail goes to
	// [Decrypter.Logger] at debug level only.
	ErrDecrypt = errors.New("xmlenc: decryption failed")

	// ErrUnsupportedAlgorithm reports an algorithm URI this package does not
	// implement or refuses: RSA PKCS#1 v1.5 key transport (Bleichenbacher's
	// attack), CBC modes unless [Decrypter.AllowCBC] is set (and always for
	// encryption), and any unknown URI. The concrete error is an
	// *[AlgorithmError] naming the URI. It is reported before any
	// cryptography happens, so it reveals nothing about keys or plaintext.
	ErrUnsupportedAlgorithm = errors.New("xmlenc: unsupported algorithm")

	// ErrWeakKey reports a recipient RSA key shorter than [MinRSABits].
	ErrWeakKey = errors.New("xmlenc: key too weak")

	// ErrInvalidConfig reports an [Encrypter] or [Decrypter] whose fields are
	// unusable; the joined errors name every problem.
	ErrInvalidConfig = errors.New("xmlenc: invalid configuration")

	// ErrEncrypt reports an element that cannot be encrypted (for example one
	// that uses a namespace prefix declared nowhere in scope, or an
	// EncryptAssertion argument that is not a saml:Assertion) or a failing
	// random source.
	ErrEncrypt = errors.New("xmlenc: encryption failed")
)

// Internal reasons, logged at debug level; callers only ever see ErrDecrypt.
var (
	// errOpen is a failed data decryption (bad key, tag, padding or size).
	errOpen = errors.New("xmlenc: cannot open cipher value")
	// errKeyWrap is a failed AES key wrap or unwrap (RFC 3394).
	errKeyWrap = errors.New("xmlenc: key unwrap failed")
)

// AlgorithmError names the algorithm URI that was refused and where it was
// found. It unwraps to [ErrUnsupportedAlgorithm].
type AlgorithmError struct {
	// Element is the local name of the element carrying the URI, e.g.
	// "EncryptionMethod" or "DigestMethod".
	Element string
	// Algorithm is the refused URI as found ("" when it was missing).
	Algorithm string
}

// Error implements error.
func (e *AlgorithmError) Error() string {
	return fmt.Sprintf("xmlenc: unsupported algorithm %q in %s", e.Algorithm, e.Element)
}

// Unwrap returns [ErrUnsupportedAlgorithm].
func (e *AlgorithmError) Unwrap() error { return ErrUnsupportedAlgorithm }

func unsupported(element, alg string) error {
	return &AlgorithmError{Element: element, Algorithm: alg}
}

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
}
