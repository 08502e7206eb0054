/* reg_layout.c - the 0x0100 registration width table shared by its decoder and encoder; see
 * reg_layout.h. */
#include "reg_layout.h"

static const jt_reg_widths reg_layouts[] = {
    {JT_REG_2011, 5, 8, 7},
    {JT_REG_2013, 5, 20, 7},
    {JT_REG_2019, 11, 30, 30},
};

const jt_reg_widths *jt_reg_widths_of(jt_reg_layout layout)
{
    for (size_t i = 0; i < sizeof reg_layouts / sizeof reg_layouts[0]; i++)
        if (reg_layouts[i].layout == layout)
            return &reg_layouts[i];
    return NULL;
}

/* province, city, maker, model, terminal id, plate colour */
size_t jt_reg_fixed_len(const jt_reg_widths *w)
{
    return 2u + 2u + w->maker_len + w->model_len + w->terminal_id_len + 1u;
}
