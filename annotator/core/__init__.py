"""The domain: dataclasses and pure rules, free of Qt and SQL so everything can test them."""
