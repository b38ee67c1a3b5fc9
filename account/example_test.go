package account_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/eidkit/eidkit/account"
	"github.com/eidkit/eidkit/account/password"
	"github.com/eidkit/eidkit/account/policy"
	"github.com/eidkit/eidkit/account/sqlitestore"
)

type printNotifier struct{}

func (printNotifier) Notify(_ context.Context, n account.Notification) error {
	fmt.Println("notify:", n.Kind, n.Username, "admin:", n.ToAdmin)
	return nil
}

func ExampleService() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "eidkit-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "accounts.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()
	// Production leaves Hasher nil for argon2id at m=19 MiB, t=2, p=1;
	// the example uses cheap parameters to run fast.
	hasher, err := password.New(password.Config{MemoryKiB: 64, Time: 1})
	if err != nil {
		panic(err)
	}
	svc, err := account.New(account.Config{
		Store: store, Notifier: printNotifier{}, SystemName: "Badatelna", Hasher: hasher,
		Now: func() time.Time { return time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	admin := account.Actor{Name: "central-admin", Remote: "10.0.0.1"}

	// A3: generated username, random temporary password.
	a, temp, err := svc.Create(ctx, admin, account.NewAccount{FirstName: "Jana", Surname: "Nováková",
		Email: "jana@example.cz", Class: policy.ClassUser, Role: account.RoleResearcher})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Username)

	// A4: the temporary password must be changed at first login.
	res, err := svc.Login(ctx, account.Credentials{Username: a.Username, Password: temp, Remote: "192.0.2.1"})
	if err != nil {
		panic(err)
	}
	fmt.Println("must change:", res.MustChangePassword)

	// A5: a weak password is rejected with every reason.
	_, err = svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: temp}, "novakova1234")
	fmt.Println(err)
	_, err = svc.ChangePassword(ctx, account.Credentials{Username: a.Username, Password: temp}, "Tq7#vLp2!mXz")
	fmt.Println(err)

	// A9: suspension notifies the user and the central administrator.
	s, err := svc.Suspend(ctx, admin, a.Username, "many logins from one network")
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Status, s.ReviewDeadline.Format(time.RFC3339))
	// Output:
	// novakovaj1
	// must change: true
	// policy: password violates narp@1: composition.upper, composition.special, pattern.sequence, context.word
	// <nil>
	// notify: suspended novakovaj1 admin: false
	// notify: suspended novakovaj1 admin: true
	// suspended 2026-01-08T08:00:00Z
}

func ExampleUsernameBase() {
	fmt.Println(account.UsernameBase("Nováková", "Jana"))
	fmt.Println(account.UsernameBase("Šťastný", "Řehoř"))
	// Output:
	// novakovaj
	// stastnyr
}
