"""The Slack adapter: Bolt listeners that translate Slack into the coaching service and back.

`app.mount_slack()` puts it on the one aiohttp server; `blocks` holds the pure Block Kit
builders, `translate` the payload translators, `turns` and `commitments` the work that
follows each acknowledgement. See docs/slack.md.
"""
