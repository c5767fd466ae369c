from setuptools import find_packages, setup

from chiiki_care import __version__ as version

setup(
	name="chiiki_care",
	version=version,
	description="Community-based integrated care (地域包括ケア) for life-support coordinators and councils",
	author="chiiki_care developers",
	author_email="dev@chiiki-care.example",
	packages=find_packages(exclude=["tests", "tests.*"]),
	zip_safe=False,
	include_package_data=True,
	python_requires=">=3.10",
	install_requires=[],
)
