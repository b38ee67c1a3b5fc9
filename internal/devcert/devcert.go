package devcert

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// Algorithm is the key algorithm of a generated key pair.
type Algorithm string

// Supported algorithms. RSA3072 satisfies the eIDAS minimum key size.
const (
	P256    Algorithm = "p256"
	RSA2048 Algorithm = "rsa2048"
	RSA3072 Algorithm = "rsa3072"
)

// DefaultValidFor is the validity period of a generated certificate when
// Options.ValidFor is zero.
const DefaultValidFor = 5 * 365 * 24 * time.Hour

// Pair is a private key and its self-signed certificate.
type Pair struct {
	// Key is the private key (*ecdsa.PrivateKey or *rsa.PrivateKey).
	Key crypto.Signer
	// Certificate is the self-signed certificate for Key.
	Certificate *x509.Certificate
}

// Options control generation. They are plain data; Subject, ValidFor and Now
// are used only when files are created.
type Options struct {
	// Algorithm is the key algorithm; zero means P256.
	Algorithm Algorithm
	// Subject is the certificate subject; zero means CN=<name>.
	Subject pkix.Name
	// ValidFor is the certificate's validity period, starting an hour
	// before Now; zero means DefaultValidFor.
	ValidFor time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Validate reports every problem of o, joined: an unknown Algorithm
// (ErrUnknownAlgorithm) or a negative ValidFor (ErrInvalidOptions).
func (o Options) Validate() error {
	var errs []error
	switch o.Algorithm {
	case "", P256, RSA2048, RSA3072:
	default:
		errs = append(errs, fmt.Errorf("%w: %q", ErrUnknownAlgorithm, o.Algorithm))
	}
	if o.ValidFor < 0 {
		errs = append(errs, fmt.Errorf("%w: ValidFor is negative (%v)", ErrInvalidOptions, o.ValidFor))
	}
	return errors.Join(errs...)
}

// LoadOrCreate returns the pair stored as <dir>/<name>.key and
// <dir>/<name>.crt, creating dir and both files (mode 0600 for the key) when
// neither exists. A half-present or unreadable pair is an error wrapping
// ErrCorrupt and nothing is overwritten.
func LoadOrCreate(dir, name string, opts Options) (*Pair, error) {
	keyPath := filepath.Join(dir, name+".key")
	certPath := filepath.Join(dir, name+".crt")
	_, kerr := os.Stat(keyPath)
	_, cerr := os.Stat(certPath)
	switch {
	case kerr == nil && cerr == nil:
		return load(keyPath, certPath)
	case errors.Is(kerr, fs.ErrNotExist) && errors.Is(cerr, fs.ErrNotExist):
		return create(dir, keyPath, certPath, name, opts)
	default:
		return nil, fmt.Errorf("%w: %s and %s must both exist or both be absent", ErrCorrupt, keyPath, certPath)
	}
}

func load(keyPath, certPath string) (*Pair, error) {
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("devcert: %w", err)
	}
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("devcert: %w", err)
	}
	kb, _ := pem.Decode(keyPEM)
	cb, _ := pem.Decode(certPEM)
	if kb == nil || cb == nil {
		return nil, fmt.Errorf("%w: no PEM block in %s or %s", ErrCorrupt, keyPath, certPath)
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, keyPath, err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%w: %s: not a signing key", ErrCorrupt, keyPath)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, certPath, err)
	}
	if !publicKeysEqual(cert.PublicKey, signer.Public()) {
		return nil, fmt.Errorf("%w: %s does not match %s", ErrCorrupt, certPath, keyPath)
	}
	return &Pair{Key: signer, Certificate: cert}, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

func create(dir, keyPath, certPath, name string, opts Options) (*Pair, error) {
	pair, err := Generate(name, opts)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(pair.Key)
	if err != nil {
		return nil, fmt.Errorf("devcert: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("devcert: %w", err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pair.Certificate.Raw})
	if err := writeNew(keyPath, keyPEM, 0o600); err != nil {
		return nil, err
	}
	if err := writeNew(certPath, certPEM, 0o644); err != nil {
		return nil, err
	}
	return pair, nil
}

// writeNew writes through a temporary file and a rename so that a crash never
// leaves a truncated key behind.
func writeNew(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".devcert-*")
	if err != nil {
		return fmt.Errorf("devcert: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("devcert: %w", err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("devcert: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("devcert: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("devcert: %w", err)
	}
	return nil
}

// Generate makes a new pair in memory without touching the disk. Invalid
// opts fail as [Options.Validate] says.
func Generate(name string, opts Options) (*Pair, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	key, err := newKey(opts.Algorithm)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	validFor := opts.ValidFor
	if validFor == 0 {
		validFor = DefaultValidFor
	}
	subject := opts.Subject
	if subject.CommonName == "" && len(subject.Names) == 0 && len(subject.Organization) == 0 {
		subject = pkix.Name{CommonName: name}
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, fmt.Errorf("devcert: %w", err)
	}
	start := now().Add(-time.Hour)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             start,
		NotAfter:              start.Add(validFor),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, fmt.Errorf("devcert: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("devcert: %w", err)
	}
	return &Pair{Key: key, Certificate: cert}, nil
}

func newKey(alg Algorithm) (crypto.Signer, error) {
	switch alg {
	case "", P256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	case RSA3072:
		return rsa.GenerateKey(rand.Reader, 3072)
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownAlgorithm, alg)
}
