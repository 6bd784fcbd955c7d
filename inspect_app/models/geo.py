"""Administrative geography keyed by KATO codes (Kazakhstan's territorial classifier)."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.data import region_name_en
from inspect_app.extensions import db


class Region(db.Model):
    """One of the 20 regions: 17 oblasts and 3 cities of republican significance."""

    __tablename__ = "region"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kato: so.Mapped[str] = so.mapped_column(sa.String(9), unique=True)
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(200))
    center_lat: so.Mapped[float | None] = so.mapped_column(sa.Float)
    center_lon: so.Mapped[float | None] = so.mapped_column(sa.Float)
    # When inspectors see a day's route: "morning" (that day from ROUTE_RELEASE_HOUR) or "evening"
    # (the evening before, from ROUTE_EVENING_RELEASE_HOUR).
    route_release: so.Mapped[str] = so.mapped_column(sa.String(8), default="morning", server_default="morning")

    districts: so.WriteOnlyMapped["District"] = so.relationship(back_populates="region")

    def name(self, locale: str = "ru") -> str:
        """Name in the given UI language: Kazakh or English when asked (English from the shipped reference
        geography, a region outside it in Russian), Russian otherwise."""
        if locale == "kk" and self.name_kk:
            return self.name_kk
        if locale == "en":
            return region_name_en(self.kato) or self.name_ru
        return self.name_ru

    def __repr__(self) -> str:
        return f"<Region {self.kato} {self.name_ru}>"


class District(db.Model):
    """A district or town of regional significance inside a region."""

    __tablename__ = "district"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kato: so.Mapped[str] = so.mapped_column(sa.String(9), unique=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(200))

    region: so.Mapped[Region] = so.relationship(back_populates="districts")

    def name(self, locale: str = "ru") -> str:
        """Name in the given UI language."""
        return self.name_kk if locale == "kk" and self.name_kk else self.name_ru
