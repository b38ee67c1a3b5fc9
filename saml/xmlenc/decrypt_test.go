package xmlenc

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
)

// ecDecrypter is a crypto.Decrypter with a non-RSA public key.
type ecDecrypter struct{ pub crypto.PublicKey }

func (e ecDecrypter) Public() crypto.PublicKey { return e.pub }
func (ecDecrypter) Decrypt(io.Reader, []byte, crypto.DecrypterOpts) ([]byte, error) {
	return nil, errors.New("not RSA")
}

// TestDecrypterValidate: a Decrypter without usable keys or with negative
// limits is a configuration error, never a pass (N23: only configured keys).
func TestDecrypterValidate(t *testing.T) {
	rsaKey := samltest.NewKeyPair(t, samltest.RSA2048).Decrypter()
	ecPub := samltest.NewKeyPair(t, samltest.P256).Key.Public()
	tests := []struct {
		name  string
		dec   Decrypter
		count int // joined problems; 0 = valid
	}{
		{"one RSA key", Decrypter{Keys: []crypto.Decrypter{rsaKey}}, 0},
		{"rollover pair", Decrypter{Keys: []crypto.Decrypter{rsaKey, rsaKey}, MaxEncryptedKeys: 8, MaxCipherBytes: 1 << 16}, 0},
		{"no keys", Decrypter{}, 1},
		{"nil key", Decrypter{Keys: []crypto.Decrypter{nil}}, 1},
		{"EC key", Decrypter{Keys: []crypto.Decrypter{ecDecrypter{ecPub}}}, 1},
		{"negative limits", Decrypter{Keys: []crypto.Decrypter{rsaKey}, MaxCipherBytes: -1, MaxEncryptedKeys: -1, Limits: saml.Limits{MaxDepth: -1}}, 3},
		{"everything", Decrypter{Keys: []crypto.Decrypter{nil, ecDecrypter{ecPub}}, MaxCipherBytes: -1}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.dec.Validate()
			if tc.count == 0 {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), tc.count)
			_, decErr := tc.dec.Decrypt(etree.NewElement("x"))
			require.ErrorIs(t, decErr, ErrInvalidConfig, "Decrypt validates first")
		})
	}
}

// TestDecryptKeyRollover: a party publishing a new key next to the old one
// decrypts messages for either (requirement N23, metadata key rollover).
func TestDecryptKeyRollover(t *testing.T) {
	oldKP, newKP := samltest.NewKeyPair(t, samltest.RSA2048), samltest.NewKeyPair(t, samltest.RSA3072)
	other := samltest.NewKeyPair(t, samltest.RSA2048)
	tests := []struct {
		name string
		to   *samltest.KeyPair
		keys []*samltest.KeyPair
		ok   bool
	}{
		{"to old, old first", oldKP, []*samltest.KeyPair{oldKP, newKP}, true},
		{"to new, old first", newKP, []*samltest.KeyPair{oldKP, newKP}, true},
		{"to old, new first", oldKP, []*samltest.KeyPair{newKP, oldKP}, true},
		{"to someone else", other, []*samltest.KeyPair{oldKP, newKP}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, a := response(t, 0)
			ea, err := (&Encrypter{Certificate: tc.to.Certificate}).EncryptAssertion(a)
			require.NoError(t, err)
			dec := Decrypter{}
			for _, k := range tc.keys {
				dec.Keys = append(dec.Keys, k.Decrypter())
			}
			got, err := dec.Decrypt(ea)
			if !tc.ok {
				require.Equal(t, ErrDecrypt, err, "no detail beyond ErrDecrypt")
				require.Nil(t, got)
				return
			}
			require.NoError(t, err)
			requireSame(t, selfContained(t, a), got)
		})
	}
}

// mutateCipher changes the decoded CipherValue of the nth CipherValue (0 =
// the wrapped key, 1 = the data, in Encrypter's layout).
func mutateCipher(n int, f func([]byte) []byte) func(*etree.Element) {
	return func(ea *etree.Element) {
		cv := ea.FindElements("//CipherValue")[n]
		b, _ := base64.StdEncoding.DecodeString(cv.Text())
		cv.SetText(base64.StdEncoding.EncodeToString(f(b)))
	}
}

func flip(i int) func([]byte) []byte {
	return func(b []byte) []byte {
		if i < 0 {
			i += len(b)
		}
		b[i] ^= 0x01
		return b
	}
}

func remove(path string) func(*etree.Element) {
	return func(ea *etree.Element) {
		el := ea.FindElement(path)
		el.Parent().RemoveChild(el)
	}
}

// TestDecryptUniformFailure: every failure after the algorithm check is
// exactly ErrDecrypt, whatever broke (no padding or format oracle).
func TestDecryptUniformFailure(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	tests := []struct {
		name   string
		reason string // in the debug log
		mutate func(*etree.Element)
	}{
		{"GCM IV bit flipped", "no key opened", mutateCipher(1, flip(0))},
		{"GCM ciphertext bit flipped", "no key opened", mutateCipher(1, flip(gcmIVSize+3))},
		{"GCM tag bit flipped", "no key opened", mutateCipher(1, flip(-1))},
		{"data truncated below IV+tag", "no key opened", mutateCipher(1, func(b []byte) []byte { return b[:20] })},
		{"data empty", "no key opened", mutateCipher(1, func([]byte) []byte { return nil })},
		{"wrapped key bit flipped", "no key opened", mutateCipher(0, flip(100))},
		{"wrapped key truncated", "no key opened", mutateCipher(0, func(b []byte) []byte { return b[:255] })},
		{"wrapped key of another size", "no key opened", mutateCipher(0, func(b []byte) []byte { return append(b, 0) })},
		{"bad base64 in data", "illegal base64", func(ea *etree.Element) { ea.FindElements("//CipherValue")[1].SetText("!!!not base64!!!") }},
		{"bad base64 in key", "illegal base64", func(ea *etree.Element) { ea.FindElements("//CipherValue")[0].SetText("QUJD=x") }},
		{"child element in CipherValue", "text-only", func(ea *etree.Element) { ea.FindElements("//CipherValue")[1].CreateElement("x") }},
		{"no EncryptedKey", "no usable EncryptedKey", remove("//EncryptedKey")},
		{"no KeyInfo", "no usable EncryptedKey", remove("//KeyInfo")},
		{"no data EncryptionMethod", "EncryptedData has no EncryptionMethod", remove("EncryptedData/EncryptionMethod")},
		{"no data CipherData", "EncryptedData has no CipherData", remove("EncryptedData/CipherData")},
		{"no key EncryptionMethod", "EncryptedKey has no EncryptionMethod", remove("//EncryptedKey/EncryptionMethod")},
		{"CipherReference instead of CipherValue", "CipherData has no CipherValue", func(ea *etree.Element) {
			cd := ea.FindElement("EncryptedData/CipherData")
			cd.RemoveChildAt(0)
			cd.CreateElement("xenc:CipherReference").CreateAttr("URI", "https://attacker.example/x")
		}},
		{"two EncryptedData", "2 EncryptedData", func(ea *etree.Element) { ea.AddChild(ea.SelectElement("xenc:EncryptedData").Copy()) }},
		{"foreign child in EncryptedAssertion", "unexpected child", func(ea *etree.Element) { ea.CreateElement("saml:Assertion") }},
		{"two KeyInfo", "more than one KeyInfo", func(ea *etree.Element) {
			ed := ea.SelectElement("xenc:EncryptedData")
			ed.InsertChildAt(1, ed.SelectElement("ds:KeyInfo").Copy())
		}},
		{"Type Content", "is not Element", func(ea *etree.Element) {
			ea.SelectElement("xenc:EncryptedData").CreateAttr("Type", "http://www.w3.org/2001/04/xmlenc#Content")
		}},
		{"not an encrypted element", "is not an encrypted element", func(ea *etree.Element) { ea.Tag = "Assertion" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, a := response(t, 0)
			ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
			require.NoError(t, err)
			tc.mutate(ea)
			var log bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
			got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}, Logger: logger}).Decrypt(ea)
			require.Equal(t, ErrDecrypt, err)
			require.Nil(t, got)
			require.Contains(t, log.String(), tc.reason)
		})
	}
}

// TestDecryptNil: a nil element is ErrDecrypt, not a panic.
func TestDecryptNil(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	_, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(nil)
	require.Equal(t, ErrDecrypt, err)
}

// TestDecryptRefusedAlgorithms: refusals name the URI and come before any
// cryptography.
func TestDecryptRefusedAlgorithms(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	pub := kp.Certificate.PublicKey.(*rsa.PublicKey)
	sha256 := rsa.OAEPOptions{Hash: crypto.SHA256}
	tests := []struct {
		name    string
		spec    rawSpec
		element string
		uri     string
	}{
		{"rsa-1_5 key transport (Bleichenbacher)", rawSpec{keyAlg: RSA15}, "EncryptionMethod", RSA15},
		{"AES-CBC without AllowCBC", rawSpec{dataAlg: AES256CBC}, "EncryptionMethod", AES256CBC},
		{"3DES key wrap", rawSpec{keyAlg: "http://www.w3.org/2001/04/xmlenc#kw-tripledes"}, "EncryptionMethod", "http://www.w3.org/2001/04/xmlenc#kw-tripledes"},
		{"unknown OAEP digest", rawSpec{digest: "http://www.w3.org/2001/04/xmldsig-more#md5", oaep: sha256}, "DigestMethod", "http://www.w3.org/2001/04/xmldsig-more#md5"},
		{"unknown MGF", rawSpec{digest: DigestSHA256, mgf: "http://www.w3.org/2009/xmlenc11#mgf1md5", oaep: sha256}, "MGF", "http://www.w3.org/2009/xmlenc11#mgf1md5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.plaintext = `<saml:Assertion xmlns:saml="` + saml.NSAssertion + `"/>`
			doc := parse(t, rawEncrypted(t, pub, tc.spec))
			_, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(doc.Root())
			require.ErrorIs(t, err, ErrUnsupportedAlgorithm)
			var ae *AlgorithmError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.element, ae.Element)
			require.Equal(t, tc.uri, ae.Algorithm)
		})
	}
	t.Run("unknown data algorithm", func(t *testing.T) {
		_, a := response(t, 0)
		ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
		require.NoError(t, err)
		ea.FindElement("EncryptedData/EncryptionMethod").CreateAttr("Algorithm", "http://www.w3.org/2001/04/xmlenc#tripledes-cbc")
		_, err = (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}, AllowCBC: true}).Decrypt(ea)
		require.ErrorIs(t, err, ErrUnsupportedAlgorithm)
	})
}

// TestDecryptOAEPParameters covers every RSA-OAEP parameter form peers send,
// including the XML Encryption defaults (SHA-1 digest and MGF1-SHA1 when the
// elements are absent) and the OAEPparams label.
func TestDecryptOAEPParameters(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	pub := kp.Certificate.PublicKey.(*rsa.PublicKey)
	tests := []struct {
		name string
		spec rawSpec
		ok   bool
	}{
		{"rsa-oaep defaults to SHA-1/MGF1-SHA1", rawSpec{oaep: rsa.OAEPOptions{Hash: crypto.SHA1}}, true},
		{"rsa-oaep SHA-256/MGF1-SHA256 (eIDAS)", rawSpec{digest: DigestSHA256, mgf: MGF1SHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256}}, true},
		{"rsa-oaep SHA-256 without MGF means MGF1-SHA1", rawSpec{digest: DigestSHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1}}, true},
		{"rsa-oaep SHA-512/MGF1-SHA384", rawSpec{digest: DigestSHA512, mgf: MGF1SHA384, oaep: rsa.OAEPOptions{Hash: crypto.SHA512, MGFHash: crypto.SHA384}}, true},
		{"rsa-oaep SHA-224/MGF1-SHA224", rawSpec{digest: DigestSHA224, mgf: MGF1SHA224, oaep: rsa.OAEPOptions{Hash: crypto.SHA224}}, true},
		{"rsa-oaep SHA-384/MGF1-SHA512", rawSpec{digest: DigestSHA384, mgf: MGF1SHA512, oaep: rsa.OAEPOptions{Hash: crypto.SHA384, MGFHash: crypto.SHA512}}, true},
		{"rsa-oaep-mgf1p default SHA-1", rawSpec{keyAlg: RSAOAEPMGF1P, oaep: rsa.OAEPOptions{Hash: crypto.SHA1}}, true},
		{"rsa-oaep-mgf1p SHA-256 digest keeps MGF1-SHA1", rawSpec{keyAlg: RSAOAEPMGF1P, digest: DigestSHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1}}, true},
		{"rsa-oaep-mgf1p ignores an MGF element", rawSpec{keyAlg: RSAOAEPMGF1P, mgf: MGF1SHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA1}}, true},
		{"OAEPparams label", rawSpec{digest: DigestSHA256, mgf: MGF1SHA256, label: []byte("eidkit"), oaep: rsa.OAEPOptions{Hash: crypto.SHA256}}, true},
		{"declared SHA-1, encrypted SHA-256", rawSpec{digest: DigestSHA1, mgf: MGF1SHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256}}, false},
		{"declared MGF1-SHA256, encrypted MGF1-SHA1", rawSpec{digest: DigestSHA256, mgf: MGF1SHA256, oaep: rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA1}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.plaintext = `<saml:Assertion xmlns:saml="` + saml.NSAssertion + `" ID="_x"/>`
			doc := parse(t, rawEncrypted(t, pub, tc.spec))
			got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(doc.Root())
			if !tc.ok {
				require.Equal(t, ErrDecrypt, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "_x", got.SelectAttrValue("ID", ""))
		})
	}
}

// TestDecryptCBC: with the explicit AllowCBC option (issue 2), AES-CBC
// from peers that need it decrypts at every padding length; without it CBC
// is refused (TestDecryptRefusedAlgorithms).
func TestDecryptCBC(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	pub := kp.Certificate.PublicKey.(*rsa.PublicKey)
	sha1 := rsa.OAEPOptions{Hash: crypto.SHA1}
	// Plaintext lengths around the block size exercise 1..16 padding bytes.
	for _, alg := range []string{AES128CBC, AES192CBC, AES256CBC} {
		for _, pad := range []int{0, 1, 15, 16} {
			pt := `<saml:Assertion xmlns:saml="` + saml.NSAssertion + `" ID="_` + strings.Repeat("x", pad) + `"/>`
			doc := parse(t, rawEncrypted(t, pub, rawSpec{plaintext: pt, dataAlg: alg, keyAlg: RSAOAEPMGF1P, oaep: sha1}))
			got, err := (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}, AllowCBC: true}).Decrypt(doc.Root())
			require.NoError(t, err, "%s %d", alg, pad)
			require.Equal(t, "_"+strings.Repeat("x", pad), got.SelectAttrValue("ID", ""))
		}
	}
}

// TestOpenMalformed: the data layer never panics and never accepts
// malformed ciphertext (landscape.md: gosaml2's CBC padding panic).
func TestOpenMalformed(t *testing.T) {
	key16 := bytes.Repeat([]byte{7}, 16)
	cbc, _ := dataAlgorithmFor(AES128CBC)
	gcm, _ := dataAlgorithmFor(AES128GCM)
	block, err := aes.NewCipher(key16)
	require.NoError(t, err)
	cbcWithLastByte := func(last byte) []byte {
		// IV || C1 with C1 = 0: the plaintext is D(C1) XOR IV, so setting
		// the IV's last byte picks the padding byte.
		data := make([]byte, 32)
		d := make([]byte, 16)
		block.Decrypt(d, data[16:])
		data[15] = d[15] ^ last
		return data
	}
	tests := []struct {
		name string
		alg  dataAlgorithm
		key  []byte
		data []byte
		ok   bool
	}{
		{"gcm empty", gcm, key16, nil, false},
		{"gcm shorter than IV+tag", gcm, key16, make([]byte, 27), false},
		{"gcm all zero", gcm, key16, make([]byte, 60), false},
		{"gcm wrong key size", gcm, key16[:15], make([]byte, 60), false},
		{"cbc empty", cbc, key16, nil, false},
		{"cbc IV only", cbc, key16, make([]byte, 16), false},
		{"cbc unaligned", cbc, key16, make([]byte, 33), false},
		{"cbc padding byte 0", cbc, key16, cbcWithLastByte(0), false},
		{"cbc padding byte 17", cbc, key16, cbcWithLastByte(17), false},
		{"cbc padding byte 255", cbc, key16, cbcWithLastByte(255), false},
		{"cbc padding byte 16 (whole block)", cbc, key16, cbcWithLastByte(16), true},
		{"cbc padding byte 1", cbc, key16, cbcWithLastByte(1), true},
	}
	var last [16]byte
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pt, err := open(tc.alg, tc.key, tc.data)
			if !tc.ok {
				require.ErrorIs(t, err, errOpen)
				return
			}
			require.NoError(t, err)
			block.Decrypt(last[:], tc.data[16:])
			require.Len(t, pt, 16-int(last[15]^tc.data[15]))
		})
	}
}

// TestDecryptLimits: the documented caps on cipher size, EncryptedKey and
// RetrievalMethod counts and the plaintext parse all hold, each failing
// with the uniform ErrDecrypt.
func TestDecryptLimits(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	others := samltest.NewKeyPair(t, samltest.RSA2048)
	_, a := response(t, 2000)
	ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
	require.NoError(t, err)
	// Four more EncryptedKeys for other recipients beside the EncryptedData.
	crowded := ea.Copy()
	crowded.CreateAttr("xmlns:xenc", saml.NSXMLEnc)
	crowded.CreateAttr("xmlns:ds", saml.NSDSig)
	for range 4 {
		other, err := (&Encrypter{Certificate: others.Certificate}).Encrypt(a)
		require.NoError(t, err)
		crowded.AddChild(other.FindElement("KeyInfo/EncryptedKey"))
	}
	// Five RetrievalMethods: refused before they are resolved against the
	// siblings, so that many of each cannot cost a quadratic search.
	referencing := ea.Copy()
	ki := referencing.FindElement("EncryptedData/KeyInfo")
	require.NotNil(t, ki)
	for i := range 5 {
		rm := ki.CreateElement("ds:RetrievalMethod")
		rm.CreateAttr("Type", TypeEncryptedKey)
		rm.CreateAttr("URI", fmt.Sprintf("#k%d", i))
	}
	keys := []crypto.Decrypter{kp.Decrypter()}
	tests := []struct {
		name   string
		dec    Decrypter
		enc    *etree.Element
		reason string // logged detail of the failure; "" = success
	}{
		{"five RetrievalMethods over the default four", Decrypter{Keys: keys}, referencing, "5 RetrievalMethods, limit 4"},
		{"defaults", Decrypter{Keys: keys}, ea, ""},
		{"MaxCipherBytes just enough", Decrypter{Keys: keys, MaxCipherBytes: 4096}, ea, ""},
		{"MaxCipherBytes too small", Decrypter{Keys: keys, MaxCipherBytes: 1024}, ea, "CipherValue: xmlutil: decoded value exceeds 1024 bytes"},
		{"five EncryptedKeys over the default four", Decrypter{Keys: keys}, crowded, "5 EncryptedKey elements, limit 4"},
		{"five EncryptedKeys with MaxEncryptedKeys 5", Decrypter{Keys: keys, MaxEncryptedKeys: 5}, crowded, ""},
		{"plaintext over Limits.MaxBytes", Decrypter{Keys: keys, Limits: saml.Limits{MaxBytes: 1000}}, ea, "MaxBytes"},
		{"plaintext over Limits.MaxElements", Decrypter{Keys: keys, Limits: saml.Limits{MaxElements: 10}}, ea, "MaxElements"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			tc.dec.Logger = slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))
			got, err := tc.dec.Decrypt(tc.enc)
			if tc.reason != "" {
				require.Equal(t, ErrDecrypt, err)
				require.Contains(t, log.String(), tc.reason)
				return
			}
			require.NoError(t, err)
			require.Equal(t, "Assertion", got.Tag)
		})
	}
}

// TestDecryptLoggerGetsDetail: the reason reaches the debug log only; the
// error stays the bare sentinel.
func TestDecryptLoggerGetsDetail(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	_, a := response(t, 0)
	ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
	require.NoError(t, err)
	mutateCipher(1, flip(-1))(ea)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err = (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}, Logger: logger}).Decrypt(ea)
	require.Equal(t, ErrDecrypt, err)
	require.Equal(t, "xmlenc: decryption failed", err.Error())
	require.Contains(t, buf.String(), "no key opened the cipher value")
	require.Contains(t, buf.String(), "level=DEBUG")
}

// TestDecryptLeavesInputAlone: decryption does not change the encrypted
// element or its document.
func TestDecryptLeavesInputAlone(t *testing.T) {
	kp := samltest.NewKeyPair(t, samltest.RSA2048)
	doc, a := response(t, 0)
	ea, err := (&Encrypter{Certificate: kp.Certificate}).EncryptAssertion(a)
	require.NoError(t, err)
	replace(a, ea)
	before, err := doc.WriteToString()
	require.NoError(t, err)
	_, err = (&Decrypter{Keys: []crypto.Decrypter{kp.Decrypter()}}).Decrypt(ea)
	require.NoError(t, err)
	after, err := doc.WriteToString()
	require.NoError(t, err)
	require.Equal(t, before, after)
}
