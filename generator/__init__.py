"""精防台账 (jingfang): validate the township workbook and build the internal site."""
