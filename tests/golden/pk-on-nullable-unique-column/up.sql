ALTER TABLE "public"."c" ADD CONSTRAINT "c_pkey" PRIMARY KEY ("cc");
