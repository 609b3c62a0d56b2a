//go:build tools

package main

import (
	_ "github.com/alicebob/miniredis/v2"
	_ "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/robfig/cron/v3"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/time/rate"
)
