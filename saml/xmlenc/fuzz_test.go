package xmlenc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
)

// FuzzDecrypt feeds random and perturbed encrypted elements through Decrypt:
// it must never panic, and it may only succeed with a detached element or
// fail with exactly ErrDecrypt or an ErrUnsupportedAlgorithm refusal (the
// safe parser's own errors for input that is not XML end the case earlier).
// The seeds are valid encryptions in every layout and algorithm the
// decrypter reads (made here to keys generated for the run, and by xmlsec1
// and WebCrypto to the fixture keys), RSA-OAEP and ECDH-ES, so mutations
// reach the crypto.
func FuzzDecrypt(f *testing.F) {
	dec := decryptSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := saml.ParseXML(data, saml.Limits{})
		if err != nil {
			return
		}
		targets := []*etree.Element{doc.Root()}
		if ed := doc.FindElement("//EncryptedData"); ed != nil {
			targets = append(targets, ed)
		}
		for _, el := range targets {
			got, err := dec.Decrypt(el)
			switch {
			case err == nil:
				if got == nil || got.Parent() != nil {
					t.Fatalf("success without a detached element: %v", got)
				}
			case err == ErrDecrypt, errors.Is(err, ErrUnsupportedAlgorithm):
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
	})
}

// decryptSeeds adds the seed corpus of FuzzDecrypt and returns a Decrypter
// holding every key the seeds were made for.
func decryptSeeds(f *testing.F) Decrypter {
	addDoc := func(el *etree.Element) {
		b, err := etree.NewDocumentWithRoot(el).WriteToBytes()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	kp := samltest.NewKeyPair(f, samltest.RSA2048)
	ec := samltest.NewKeyPair(f, samltest.P256)
	pub := kp.Certificate.PublicKey.(*rsa.PublicKey)
	_, a := response(f, 300)
	for _, enc := range []Encrypter{
		{Certificate: kp.Certificate},
		{Certificate: kp.Certificate, DataMethod: AES128GCM, KeyTransport: RSAOAEPMGF1P},
		{Certificate: ec.Certificate},
	} {
		ea, err := enc.EncryptAssertion(a)
		if err != nil {
			f.Fatal(err)
		}
		addDoc(ea)
	}
	const pt = `<saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">x</saml:NameID>`
	sha256 := rsa.OAEPOptions{Hash: crypto.SHA256}
	for _, spec := range []rawSpec{
		{plaintext: pt, container: "EncryptedID", layout: "peer", digest: DigestSHA256, mgf: MGF1SHA256, oaep: sha256},
		{plaintext: pt, container: "-", dataAlg: AES256CBC, keyAlg: RSAOAEPMGF1P},
		{plaintext: pt, container: "EncryptedAttribute", dataAlg: AES128CBC, label: []byte("l"), digest: DigestSHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1}},
		{plaintext: `<a/><b/>`, keyAlg: RSA15},
	} {
		f.Add([]byte(rawEncrypted(f, pub, spec)))
	}
	// The independent tools' fixtures, decryptable with the fixture key.
	files, err := filepath.Glob(filepath.Join("testdata", "TestDecryptFixtures", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	dec := fixtureDecrypter(f)
	dec.Keys = append(dec.Keys, kp.Decrypter())
	dec.ECKeys = append(dec.ECKeys, ec.Key.(*ecdsa.PrivateKey))
	dec.AllowCBC = true
	return dec
}

// FuzzOpen drives the data layer and the AES key unwrap directly with
// arbitrary keys and ciphertexts, CBC padding included: no panic, a CBC
// plaintext is never longer than the ciphertext body, and an unwrapped key is
// 8 bytes shorter than its wrapping.
func FuzzOpen(f *testing.F) {
	f.Add(false, make([]byte, 16), make([]byte, 32))
	f.Add(false, make([]byte, 32), make([]byte, 33))
	f.Add(true, make([]byte, 32), make([]byte, 60))
	f.Add(true, make([]byte, 15), make([]byte, 10))
	f.Fuzz(func(t *testing.T, gcm bool, key, data []byte) {
		if k, err := keyUnwrap(key, data); err == nil && len(k) != len(data)-8 {
			t.Fatalf("unwrapped %d bytes from %d", len(k), len(data))
		}
		for _, uri := range []string{AES128GCM, AES192GCM, AES256GCM, AES128CBC, AES192CBC, AES256CBC} {
			alg, _ := dataAlgorithmFor(uri)
			if alg.gcm != gcm {
				continue
			}
			pt, err := open(alg, key, data)
			if err != nil {
				if err != errOpen {
					t.Fatalf("unexpected error %v", err)
				}
				continue
			}
			if !gcm && len(pt) > len(data)-cbcIVSize-1 {
				t.Fatalf("plaintext of %d bytes from %d", len(pt), len(data))
			}
		}
	})
}
