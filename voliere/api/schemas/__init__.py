"""Response and request schemas of the own API, one module per area, each with the
`from_<thing>()` builders that turn domain objects into them (models never know JSON).

Ids are strings, as in the Mastodon API: most are 64-bit snowflakes, which JavaScript
numbers cannot hold exactly.
"""
