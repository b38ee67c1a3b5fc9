package metadata_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/eidkit/eidkit/saml/metadata"
)

// FuzzParse exercises the structural parser with AllowUnsigned: any input
// must give a descriptor or an error, never a panic; a parsed descriptor
// must marshal and parse again.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"TestParseNIAS/nias-idp.xml", "TestParseEIDAS/eidas-proxy.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(idpDoc("", "")))
	f.Add([]byte(spDoc(acs0 + `<md:AttributeConsumingService index="0"><md:ServiceName xml:lang="en">x</md:ServiceName><md:RequestedAttribute Name="a" isRequired="1"/></md:AttributeConsumingService>`)))
	f.Add([]byte(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">` + idpDoc("", "") + `</md:EntitiesDescriptor>`))
	opts := metadata.ParseOptions{AllowUnsigned: true, Now: clock}
	f.Fuzz(func(t *testing.T, data []byte) {
		if agg, err := metadata.ParseEntities(data, opts); err == nil && agg == nil {
			t.Fatal("ParseEntities: nil result without error")
		}
		ed, err := metadata.Parse(data, opts)
		if err != nil {
			return
		}
		out, err := ed.Marshal()
		if err != nil {
			return // e.g. a role kept raw only; Validate may refuse what Parse kept
		}
		if _, err := metadata.Parse(out, opts); err != nil {
			t.Fatalf("re-parse of marshalled metadata failed: %v\n%s", err, out)
		}
	})
}
