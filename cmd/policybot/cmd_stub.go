package main

import (
	"context"
	"errors"
)

func runChat(ctx context.Context, e *env, args []string) error  { return errors.New("chat: not yet") }
func runBench(ctx context.Context, e *env, args []string) error { return errors.New("bench: not yet") }
