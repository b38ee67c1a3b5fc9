package dsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/eidkit/eidkit/saml/samltest"
)

// The Ratio benchmarks interleave the raw operation and the XML-DSig
// operation in one loop and report the ratio of their medians, so that
// load from other processes on a shared machine hits both alike. Metrics:
// raw-ns (median raw op), xml-ns (median XML op), x-raw (xml-ns / raw-ns).

func ratioBench(b *testing.B, raw, xml func() error) {
	b.Helper()
	var rawD, xmlD []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := raw(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := xml(); err != nil {
			b.Fatal(err)
		}
		rawD = append(rawD, t1.Sub(t0))
		xmlD = append(xmlD, time.Since(t1))
	}
	slices.Sort(rawD)
	slices.Sort(xmlD)
	r, x := rawD[len(rawD)/2], xmlD[len(xmlD)/2]
	b.ReportMetric(float64(r.Nanoseconds()), "raw-ns")
	b.ReportMetric(float64(x.Nanoseconds()), "xml-ns")
	b.ReportMetric(float64(x)/float64(r), "x-raw")
}

func BenchmarkRatioVerify5KB_RSA2048(b *testing.B) {
	kp := benchKey(b, samltest.RSA2048)
	el := benchSigned(b, kp)
	v := &Verifier{Certificates: []*x509.Certificate{kp.Certificate}}
	d := sha256.Sum256([]byte("signed info"))
	sig, err := rsa.SignPKCS1v15(rand.Reader, kp.Key.(*rsa.PrivateKey), crypto.SHA256, d[:])
	if err != nil {
		b.Fatal(err)
	}
	pub := kp.Certificate.PublicKey.(*rsa.PublicKey)
	ratioBench(b,
		func() error { return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig) },
		func() error { _, err := v.Verify(el); return err })
}

func BenchmarkRatioVerify5KB_P256(b *testing.B) {
	kp := benchKey(b, samltest.P256)
	el := benchSigned(b, kp)
	v := &Verifier{Certificates: []*x509.Certificate{kp.Certificate}}
	d := sha256.Sum256([]byte("signed info"))
	sig, err := ecdsa.SignASN1(rand.Reader, kp.Key.(*ecdsa.PrivateKey), d[:])
	if err != nil {
		b.Fatal(err)
	}
	pub := kp.Certificate.PublicKey.(*ecdsa.PublicKey)
	ratioBench(b,
		func() error {
			if !ecdsa.VerifyASN1(pub, d[:], sig) {
				return ErrBadSignature
			}
			return nil
		},
		func() error { _, err := v.Verify(el); return err })
}

func BenchmarkRatioSign5KB_RSA2048(b *testing.B) {
	kp := benchKey(b, samltest.RSA2048)
	el := parse(b, assertionXML("_bench", benchSize))
	s := &Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}
	d := sha256.Sum256([]byte("signed info"))
	ratioBench(b,
		func() error { _, err := kp.Key.Sign(rand.Reader, d[:], crypto.SHA256); return err },
		func() error {
			if err := s.Sign(el); err != nil {
				return err
			}
			el.RemoveChildAt(el.FindElement("./Signature").Index())
			return nil
		})
}

// nullSigner has a real public key but returns a fixed value instantly, so
// that BenchmarkSignOverhead5KB_RSA2048 measures everything Sign does
// except the private-key operation. Under CPU contention the ratio of two
// millisecond-long RSA signatures is noisy; this overhead is not.
type nullSigner struct{ pub crypto.PublicKey }

func (n nullSigner) Public() crypto.PublicKey { return n.pub }

func (n nullSigner) Sign(_ io.Reader, _ []byte, _ crypto.SignerOpts) ([]byte, error) {
	return make([]byte, 256), nil
}

func BenchmarkSignOverhead5KB_RSA2048(b *testing.B) {
	kp := benchKey(b, samltest.RSA2048)
	el := parse(b, assertionXML("_bench", benchSize))
	s := &Signer{Key: nullSigner{kp.Key.Public()}, Certificates: []*x509.Certificate{kp.Certificate}}
	b.ReportAllocs()
	loop(b, func() error {
		if err := s.Sign(el); err != nil {
			return err
		}
		el.RemoveChildAt(el.FindElement("./Signature").Index())
		return nil
	})
}
