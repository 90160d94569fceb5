"""The example project's database schema, in the schemakit language (SPEC.md's example)."""

from schemakit import (
    Check,
    Enum,
    Index,
    PrimaryKey,
    Table,
    View,
    boolean,
    integer,
    jsonb,
    numeric,
    serial,
    sql,
    text,
    timestamp,
    uuid,
    varchar,
)

mood = Enum("mood", ["sad", "ok", "happy"])

users = Table(
    "users",
    serial("id").primary_key(),
    varchar("email", 255).not_null().unique(),
    text("display_name"),
    mood("mood").not_null().default("ok"),
    timestamp("created_at", tz=True).not_null().default(sql("now()")),
    Index("users_display_name_idx", "display_name"),
)

posts = Table(
    "posts",
    uuid("id").primary_key().default(sql("gen_random_uuid()")),
    integer("author_id").not_null().references(users.c.id, on_delete="cascade"),
    text("title").not_null(),
    numeric("price", 10, 2).check(sql("price >= 0")),
    jsonb("meta").not_null().default({}),
    text("tags").array(),
    boolean("published").not_null().default(False),
    Check("posts_title_not_blank", sql("length(title) > 0")),
    Index("posts_published_idx", "published", where=sql("published")),
    Index("posts_meta_idx", "meta", using="gin"),
)

post_tags = Table(
    "post_tags",
    uuid("post_id").not_null().references(posts.c.id, on_delete="cascade"),
    text("tag").not_null(),
    PrimaryKey("post_id", "tag"),
    schema="blog",
)

published_posts = View("published_posts", sql("SELECT id, title FROM posts WHERE published"))
