package xmlenc

import (
	"crypto"
	_ "crypto/sha1" // OAEP digests named by URI below.
	_ "crypto/sha256"
	_ "crypto/sha512"
)

// Block encryption (data) algorithms, XML Encryption 1.1 §5.2.
const (
	// AES128GCM is AES-128 in Galois/Counter Mode (XML Encryption 1.1 §5.2.4).
	AES128GCM = "http://www.w3.org/2009/xmlenc11#aes128-gcm"
	// AES192GCM is AES-192 in Galois/Counter Mode.
	AES192GCM = "http://www.w3.org/2009/xmlenc11#aes192-gcm"
	// AES256GCM is AES-256 in Galois/Counter Mode, the eIDAS default
	// (spec-digest §2.6) and this package's default.
	AES256GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
	// AES128CBC is AES-128 in CBC mode (XML Encryption 1.0). Decrypted only
	// with [Decrypter.AllowCBC]; never produced.
	AES128CBC = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
	// AES192CBC is AES-192 in CBC mode; see [AES128CBC].
	AES192CBC = "http://www.w3.org/2001/04/xmlenc#aes192-cbc"
	// AES256CBC is AES-256 in CBC mode; see [AES128CBC].
	AES256CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
)

// Key transport algorithms, XML Encryption 1.1 §5.5.
const (
	// RSAOAEP is RSAES-OAEP with a DigestMethod and an MGF child (XML
	// Encryption 1.1 §5.5.2). This package writes it with SHA-256 and
	// MGF1-SHA256 as eIDAS requires (spec-digest §2.6). When read, a missing
	// DigestMethod means SHA-1 and a missing MGF means MGF1-SHA1, as the
	// specification defines.
	RSAOAEP = "http://www.w3.org/2009/xmlenc11#rsa-oaep"
	// RSAOAEPMGF1P is the XML Encryption 1.0 form of RSAES-OAEP: MGF1 with
	// SHA-1 always, DigestMethod SHA-1 unless a DigestMethod child says
	// otherwise. Peers (older Shibboleth, NIAS-era OpenSAML) still send it, so
	// it is decrypted; OAEP with SHA-1 has no known weakness. [Encrypter]
	// writes it only when asked, for such peers.
	RSAOAEPMGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
	// RSA15 is RSAES-PKCS1-v1_5 key transport. It is always refused with
	// [ErrUnsupportedAlgorithm]: a decrypter that answers differently for bad
	// padding is a Bleichenbacher oracle (XML Encryption 1.1 §5.5.1 warns).
	RSA15 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5"
)

// Digest and mask generation function URIs used inside an RSA-OAEP
// EncryptionMethod.
const (
	DigestSHA1   = "http://www.w3.org/2000/09/xmldsig#sha1"
	DigestSHA224 = "http://www.w3.org/2001/04/xmldsig-more#sha224"
	DigestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	DigestSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	DigestSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"

	MGF1SHA1   = "http://www.w3.org/2009/xmlenc11#mgf1sha1"
	MGF1SHA224 = "http://www.w3.org/2009/xmlenc11#mgf1sha224"
	MGF1SHA256 = "http://www.w3.org/2009/xmlenc11#mgf1sha256"
	MGF1SHA384 = "http://www.w3.org/2009/xmlenc11#mgf1sha384"
	MGF1SHA512 = "http://www.w3.org/2009/xmlenc11#mgf1sha512"
)

// Namespaces and type URIs.
const (
	// NSXMLEnc11 is the XML Encryption 1.1 namespace of the MGF element.
	NSXMLEnc11 = "http://www.w3.org/2009/xmlenc11#"
	// TypeElement is the EncryptedData Type of an encrypted element.
	TypeElement = "http://www.w3.org/2001/04/xmlenc#Element"
	// TypeEncryptedKey is the RetrievalMethod Type pointing at an
	// EncryptedKey.
	TypeEncryptedKey = "http://www.w3.org/2001/04/xmlenc#EncryptedKey"
)

// dataAlgorithm describes a block encryption algorithm.
type dataAlgorithm struct {
	uri     string
	keySize int  // bytes
	gcm     bool // false: CBC
}

// dataAlgorithmFor describes a known block encryption algorithm.
func dataAlgorithmFor(uri string) (dataAlgorithm, bool) {
	switch uri {
	case AES128GCM, AES128CBC:
		return dataAlgorithm{uri, 16, uri == AES128GCM}, true
	case AES192GCM, AES192CBC:
		return dataAlgorithm{uri, 24, uri == AES192GCM}, true
	case AES256GCM, AES256CBC:
		return dataAlgorithm{uri, 32, uri == AES256GCM}, true
	}
	return dataAlgorithm{}, false
}

// lookupData returns the data algorithm for uri; CBC only when allowCBC.
func lookupData(uri string, allowCBC bool) (dataAlgorithm, error) {
	alg, ok := dataAlgorithmFor(uri)
	if !ok || (!alg.gcm && !allowCBC) {
		return dataAlgorithm{}, unsupported("EncryptionMethod", uri)
	}
	return alg, nil
}

func digestHash(uri string) (crypto.Hash, bool) {
	switch uri {
	case DigestSHA1:
		return crypto.SHA1, true
	case DigestSHA224:
		return crypto.SHA224, true
	case DigestSHA256:
		return crypto.SHA256, true
	case DigestSHA384:
		return crypto.SHA384, true
	case DigestSHA512:
		return crypto.SHA512, true
	}
	return 0, false
}

func mgfHash(uri string) (crypto.Hash, bool) {
	switch uri {
	case MGF1SHA1:
		return crypto.SHA1, true
	case MGF1SHA224:
		return crypto.SHA224, true
	case MGF1SHA256:
		return crypto.SHA256, true
	case MGF1SHA384:
		return crypto.SHA384, true
	case MGF1SHA512:
		return crypto.SHA512, true
	}
	return 0, false
}
