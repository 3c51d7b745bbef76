package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"policybot/config"
	"policybot/doctor"
)

// runDoctor checks the installation and prints one ✓ or ✗ line per check
// to stdout. It fails when ask cannot run or, with --bot, the bot cannot.
func runDoctor(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	bot := fs.Bool("bot", false, "also check what the Telegram bot needs (token, privacy mode, allowlist)")
	public := fs.Bool("public", false, "check the bot as \"policybot bot --public\" runs it (no allowlist needed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("doctor: unexpected arguments %q", fs.Args())
	}
	o := doctor.Options{Bot: *bot, ConfigPath: c.configPath}
	if o.ConfigPath == "" {
		o.ConfigPath = config.PathFromEnv(e.getenv)
	}
	if a, err := load(e, &c); err != nil {
		o.ConfigErr = err
		// The secrets are still redacted from the error's text.
		cfg := config.Default()
		cfg.ApplyEnv(e.getenv)
		o.Config = cfg
	} else {
		o.Config, o.CorpusGiven = a.cfg, a.corpusGiven
		o.Config.Telegram.Public = o.Config.Telegram.Public || *public
	}
	r := doctor.Run(ctx, o)
	if err := r.Write(e.stdout, *bot); err != nil {
		return err
	}
	switch {
	case !r.AskOK():
		return errors.New("doctor: ask cannot run; see the ✗ lines")
	case *bot && !r.BotOK():
		return errors.New("doctor: the bot cannot run; see the ✗ lines")
	}
	return nil
}
