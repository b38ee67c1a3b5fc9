package samltest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// KeyType names a key algorithm and size understood by NewKeyPair.
type KeyType string

// Key types used across eidkit's tests.
const (
	RSA2048 KeyType = "rsa2048"
	RSA3072 KeyType = "rsa3072"
	RSA4096 KeyType = "rsa4096"
	P256    KeyType = "p256"
	P384    KeyType = "p384"
	P521    KeyType = "p521"
)

// KeyPair is a private key with a self-signed certificate for its public key.
type KeyPair struct {
	Key         crypto.Signer
	Certificate *x509.Certificate
}

// TB is the subset of testing.TB that samltest needs.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// CertOptions controls the certificate NewKeyPairWithOptions issues. The zero
// value gives CN=eidkit-test valid from an hour ago for ten years.
type CertOptions struct {
	// Subject is the certificate subject; zero means CN=eidkit-test.
	Subject pkix.Name
	// NotBefore and NotAfter bound validity; zero means now-1h and now+10y.
	NotBefore, NotAfter time.Time
}

// NewKeyPair generates a key of type kt and a self-signed certificate with
// subject CN=eidkit-test. It fails the test on error.
func NewKeyPair(t TB, kt KeyType) *KeyPair {
	t.Helper()
	kp, err := GenerateKeyPair(kt, CertOptions{})
	if err != nil {
		t.Fatalf("samltest: %v", err)
	}
	return kp
}

// GenerateKeyPair is NewKeyPair without a test: for benchmarks, fuzz set-up
// and examples.
func GenerateKeyPair(kt KeyType, opts CertOptions) (*KeyPair, error) {
	key, err := generateKey(kt)
	if err != nil {
		return nil, err
	}
	subject := opts.Subject
	if len(subject.Names) == 0 && subject.CommonName == "" && len(subject.Organization) == 0 {
		subject = pkix.Name{CommonName: "eidkit-test"}
	}
	notBefore, notAfter := opts.NotBefore, opts.NotAfter
	if notBefore.IsZero() {
		notBefore = time.Now().Add(-time.Hour)
	}
	if notAfter.IsZero() {
		notAfter = notBefore.AddDate(10, 0, 0)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, fmt.Errorf("samltest: serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		Issuer:                subject,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("samltest: certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("samltest: certificate: %w", err)
	}
	return &KeyPair{Key: key, Certificate: cert}, nil
}

func generateKey(kt KeyType) (crypto.Signer, error) {
	switch kt {
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	case RSA3072:
		return rsa.GenerateKey(rand.Reader, 3072)
	case RSA4096:
		return rsa.GenerateKey(rand.Reader, 4096)
	case P256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case P384:
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case P521:
		return ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	}
	return nil, fmt.Errorf("samltest: unknown key type %q", kt)
}

// CertPEM returns the certificate in PEM form, as external tools such as
// xmlsec1 read it.
func (kp *KeyPair) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: kp.Certificate.Raw})
}

// KeyPEM returns the private key in PKCS#8 PEM form.
func (kp *KeyPair) KeyPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(kp.Key)
	if err != nil {
		// Every key GenerateKeyPair makes is marshalable; reaching here is a
		// programming error in this package.
		panic("samltest: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// Decrypter returns the key as a crypto.Decrypter when it is an RSA key, for
// key-transport tests; it returns nil for EC keys.
func (kp *KeyPair) Decrypter() crypto.Decrypter {
	if k, ok := kp.Key.(*rsa.PrivateKey); ok {
		return k
	}
	return nil
}
