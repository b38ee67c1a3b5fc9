package metadata_test

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// aggregate builds an md:EntitiesDescriptor around the given entities,
// signed by signer when it is not nil. Entities listed in signEach are
// signed individually by signer as well.
type aggregate struct {
	validUntil time.Time
	entities   []*metadata.EntityDescriptor
	nested     []*metadata.EntityDescriptor
	signer     *dsig.Signer
	signEach   *dsig.Signer
}

func (a aggregate) build(t testing.TB) []byte {
	t.Helper()
	root := etree.NewElement("md:EntitiesDescriptor")
	root.CreateAttr("xmlns:md", "urn:oasis:names:tc:SAML:2.0:metadata")
	root.CreateAttr("ID", "_agg")
	root.CreateAttr("Name", "urn:example:federation")
	if !a.validUntil.IsZero() {
		root.CreateAttr("validUntil", a.validUntil.Format(time.RFC3339))
	}
	add := func(parent *etree.Element, eds []*metadata.EntityDescriptor) {
		for i, ed := range eds {
			el, err := ed.Element()
			require.NoError(t, err)
			if a.signEach != nil {
				el.CreateAttr("ID", fmt.Sprintf("_e%d_%d", len(parent.ChildElements()), i))
				require.NoError(t, a.signEach.Sign(el))
			}
			parent.AddChild(el)
		}
	}
	add(root, a.entities)
	if len(a.nested) > 0 {
		n := root.CreateElement("md:EntitiesDescriptor")
		n.CreateAttr("Name", "nested")
		add(n, a.nested)
	}
	if a.signer != nil {
		require.NoError(t, a.signer.Sign(root))
	}
	doc := etree.NewDocument()
	doc.SetRoot(root)
	out, err := doc.WriteToBytes()
	require.NoError(t, err)
	return out
}

func threeEntities(t testing.TB, certs []*x509.Certificate) []*metadata.EntityDescriptor {
	t.Helper()
	var eds []*metadata.EntityDescriptor
	for i := range 3 {
		cfg := spConfig(certs)
		cfg.EntityID = fmt.Sprintf("https://sp%d.example.hr/metadata", i)
		ed, err := metadata.NewSP(cfg)
		require.NoError(t, err)
		ed.ValidUntil = time.Time{} // inherit from the aggregate
		eds = append(eds, ed)
	}
	return eds
}

// entitiesSetup returns a trusted signer, an untrusted one, their
// certificates and three SP entities.
func entitiesSetup(t *testing.T) (signer, other *dsig.Signer, certs []*x509.Certificate, eds []*metadata.EntityDescriptor) {
	t.Helper()
	kps, certs := keyPairs(t, samltest.RSA2048, 2)
	signer = &dsig.Signer{Key: kps[0].Key, Certificates: certs[:1]}
	other = &dsig.Signer{Key: kps[1].Key}
	return signer, other, certs, threeEntities(t, certs[:1])
}

// TestParseEntities: aggregates are verified against configured
// certificates only, validUntil is inherited and honoured, expired entities
// are left out and listed (N23).
func TestParseEntities(t *testing.T) {
	t.Parallel()
	signer, _, certs, eds := entitiesSetup(t)
	aggVU := fixedNow.Add(24 * time.Hour)

	t.Run("signed aggregate of three", func(t *testing.T) {
		data := aggregate{validUntil: aggVU, entities: eds, signer: signer}.build(t)
		got, err := metadata.ParseEntities(data, trusting(certs[0]))
		require.NoError(t, err)
		require.Equal(t, "urn:example:federation", got.Name)
		require.Equal(t, "_agg", got.ID)
		require.Equal(t, certs[0].Raw, got.SignedBy.Raw)
		require.Len(t, got.Entities, 3)
		for i, e := range got.Entities {
			require.Equal(t, eds[i].EntityID, e.EntityID)
			require.Equal(t, aggVU, e.ValidUntil, "validUntil inherited")
			require.Equal(t, certs[0].Raw, e.SignedBy.Raw)
			require.NotNil(t, e.SP)
		}
		require.NotNil(t, got.Entity("https://sp1.example.hr/metadata"))
		require.Nil(t, got.Entity("https://nobody"))
	})
	t.Run("nested group flattened", func(t *testing.T) {
		data := aggregate{validUntil: aggVU, entities: eds[:1], nested: eds[1:], signer: signer}.build(t)
		got, err := metadata.ParseEntities(data, trusting(certs[0]))
		require.NoError(t, err)
		require.Len(t, got.Entities, 3)
		require.Equal(t, eds[2].EntityID, got.Entities[2].EntityID)
	})
	t.Run("earliest validUntil wins", func(t *testing.T) {
		later := *eds[0]
		later.ValidUntil = aggVU.Add(time.Hour)
		data := aggregate{validUntil: aggVU, entities: []*metadata.EntityDescriptor{&later}, signer: signer}.build(t)
		got, err := metadata.ParseEntities(data, trusting(certs[0]))
		require.NoError(t, err)
		require.Equal(t, aggVU, got.Entities[0].ValidUntil)
	})
	t.Run("expired child skipped", func(t *testing.T) {
		old := *eds[1]
		old.ValidUntil = fixedNow.Add(-time.Hour)
		data := aggregate{validUntil: aggVU, entities: []*metadata.EntityDescriptor{eds[0], &old, eds[2]}, signer: signer}.build(t)
		got, err := metadata.ParseEntities(data, trusting(certs[0]))
		require.NoError(t, err)
		require.Len(t, got.Entities, 2)
		require.Equal(t, []string{eds[1].EntityID}, got.Expired)
	})
	t.Run("expired role descriptor skipped", func(t *testing.T) {
		old := *eds[2]
		sp := *old.SP
		sp.ValidUntil = fixedNow.Add(-time.Minute)
		old.SP = &sp
		data := aggregate{validUntil: aggVU, entities: []*metadata.EntityDescriptor{eds[0], &old}, signer: signer}.build(t)
		got, err := metadata.ParseEntities(data, trusting(certs[0]))
		require.NoError(t, err)
		require.Len(t, got.Entities, 1)
		require.Equal(t, []string{eds[2].EntityID}, got.Expired)
	})
	t.Run("expired nested group skipped", func(t *testing.T) {
		data := aggregate{validUntil: aggVU, entities: eds[:1], nested: eds[1:], signer: signer}.build(t)
		data = bytes.Replace(data, []byte(`Name="nested"`), []byte(`Name="nested" validUntil="2026-01-01T00:00:00Z"`), 1)
		got, err := metadata.ParseEntities(data, metadata.ParseOptions{AllowUnsigned: true, Now: clock})
		require.NoError(t, err)
		require.Len(t, got.Entities, 1)
		require.Equal(t, []string{eds[1].EntityID, eds[2].EntityID}, got.Expired)
	})
	t.Run("each entity signed, aggregate not", func(t *testing.T) {
		data := aggregate{entities: eds, signEach: signer}.build(t)
		got, err := metadata.ParseEntities(data, trusting(certs[0]))
		require.NoError(t, err)
		require.Len(t, got.Entities, 3)
		require.Nil(t, got.SignedBy)
		require.Equal(t, certs[0].Raw, got.Entities[2].SignedBy.Raw)
	})

	t.Run("AllowUnsigned", func(t *testing.T) {
		got, err := metadata.ParseEntities(aggregate{validUntil: aggVU, entities: eds}.build(t), unsignedOK())
		require.NoError(t, err)
		require.Len(t, got.Entities, 3)
	})
	t.Run("single EntityDescriptor", func(t *testing.T) {
		signed, err := eds[0].Sign(signer)
		require.NoError(t, err)
		got, err := metadata.ParseEntities(signed, trusting(certs[0]))
		require.NoError(t, err)
		require.Len(t, got.Entities, 1)
		require.Equal(t, eds[0].EntityID, got.Entities[0].EntityID)
	})
}

// TestParseEntitiesErrors: every refusal of an aggregate has its sentinel.
func TestParseEntitiesErrors(t *testing.T) {
	t.Parallel()
	signer, other, certs, eds := entitiesSetup(t)
	aggVU := fixedNow.Add(24 * time.Hour)

	errCases := []struct {
		name string
		data []byte
		opts metadata.ParseOptions
		want error
	}{
		{"unsigned", aggregate{validUntil: aggVU, entities: eds}.build(t), trusting(certs[0]), metadata.ErrUnsigned},
		{"untrusted signer", aggregate{validUntil: aggVU, entities: eds, signer: other}.build(t), trusting(certs[0]), metadata.ErrBadSignature},
		{"untrusted per-entity signer", aggregate{entities: eds, signEach: other}.build(t), trusting(certs[0]), metadata.ErrBadSignature},
		{"tampered child", bytes.Replace(aggregate{validUntil: aggVU, entities: eds, signer: signer}.build(t),
			[]byte("https://sp2.example.hr/metadata"), []byte("https://sp9.example.hr/metadata"), 1), trusting(certs[0]), metadata.ErrBadSignature},
		{"expired aggregate", aggregate{validUntil: fixedNow.Add(-time.Second), entities: eds, signer: signer}.build(t), trusting(certs[0]), metadata.ErrExpired},
		{"too many entities", aggregate{validUntil: aggVU, entities: eds, signer: signer}.build(t),
			metadata.ParseOptions{Verifier: verifier(certs[0]), Now: clock, MaxEntities: 2}, metadata.ErrTooManyEntities},
		{"duplicate entityID", aggregate{validUntil: aggVU, entities: []*metadata.EntityDescriptor{eds[0], eds[0]}, signer: signer}.build(t),
			trusting(certs[0]), metadata.ErrMalformed},
		{"RequireValidUntil", aggregate{entities: eds, signer: signer}.build(t),
			metadata.ParseOptions{Verifier: verifier(certs[0]), Now: clock, RequireValidUntil: true}, metadata.ErrValidity},
		{"wrong root", []byte(`<md:Foo xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>`), unsignedOK(), metadata.ErrMalformed},
		{"bad child", []byte(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:Foo/></md:EntitiesDescriptor>`), unsignedOK(), metadata.ErrMalformed},
		{"negative MaxEntities", []byte(`<x/>`), metadata.ParseOptions{AllowUnsigned: true, MaxEntities: -1}, metadata.ErrInvalidConfig},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := metadata.ParseEntities(tc.data, tc.opts)
			require.ErrorIs(t, err, tc.want)
		})
	}
}
